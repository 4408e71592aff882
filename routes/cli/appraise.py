"""``routes appraise``: which proposed project pays most, and for whom."""

from __future__ import annotations

import argparse
from typing import TextIO

from routes.cli._analysis import (
    cell,
    check_csv_path,
    check_outputs,
    page_on_stdout,
    place_list,
    progress_callback,
    refuse_unused,
)
from routes.cli._common import (
    EXIT_OK,
    add_common_options,
    fmt,
    load_graph,
    table,
    write_csv,
    write_json,
    write_map,
)

HELP = "Appraise proposed and unfinished projects: built alone, and removed from all-proposals-built."

EPILOG = """
examples:
  routes appraise                                       # every project, by time, hub OD pairs
  routes appraise --projects wakhan-road,wakhan-valley-road --by cost
  routes appraise --scenario afghanistan-closed          # both measures in another context
  routes appraise --mode rail                            # railways on rail-only journeys
  routes appraise --json > appraisal.json
  routes appraise --by cost --brief appraisal-brief.html

"alone" builds the project on its own on top of the scenario; "removed" takes it out of
all-proposals-built. Saved hours, USD/t and km are weighted sums over the OD pairs whose
best route improves; "connected" counts pairs that had no route before. --brief writes
one self-contained page (the question, the table, the map, a chart, the projects' links
with their numbered sources); --json holds the same content as data.
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the options of this command to its parser."""
    p.add_argument("--projects", type=place_list, metavar="CORRIDORS", help="comma-separated corridors (default: all)")
    p.add_argument("--od", default="hubs", metavar="SET", help="OD places: hubs (default), cities, or a CSV")
    p.add_argument("--weights", default="uniform", metavar="WEIGHTS", help="uniform, population, or a CSV")
    p.add_argument("--brief", metavar="PATH", help="also write a one-page brief (HTML, offline; - for stdout)")
    add_common_options(p)
    p.set_defaults(by="time")


def cmd_appraise(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``routes appraise``."""
    from routes.analysis_brief import appraisal_brief, save_analysis_brief  # noqa: PLC0415
    from routes.appraisal import appraise  # noqa: PLC0415

    check_outputs(args)  # a bad --map path fails now, not after the sweep
    refuse_unused(args, "appraise", month=False)
    if args.od not in ("hubs", "cities"):
        check_csv_path(args.od, "--od")
    if args.weights not in ("uniform", "population"):
        check_csv_path(args.weights, "--weights")
    G = load_graph(args)
    a = appraise(
        G,
        args.projects,
        scenario=args.scenario,
        od=args.od,
        weights=args.weights,
        by=args.by,
        modes=args.mode,
        progress=progress_callback(args, "appraise"),
    )
    if args.map:
        from routes.analysis_maps import appraisal_map  # noqa: PLC0415

        write_map(args.map, lambda: appraisal_map(a, G), stdout=out)
    ways = ("alone", "removed")
    saved = (("hours_saved", "hours"), ("cost_usd_per_t_saved", "usd_per_t"), ("km_saved", "km"))
    if args.json or args.brief:
        brief = appraisal_brief(G, a)
        if args.brief:
            save_analysis_brief(brief, G, args.brief, stdout=out)
        if args.json:
            write_json(out, "appraisal", brief.to_dict())
    if args.csv:
        header = ["rank", "project", "status", "new_km"]
        for way in ways:
            header += [f"{way}_pairs_improved", f"{way}_pairs_connected", *(f"{way}_{f}" for f, _ in saved),
                       f"{way}_countries", f"{way}_top_pairs"]  # fmt: skip
        rows = []
        for r in a.to_dict("records"):
            row = [r["rank"], r["project"], r["status"], cell(r["new_km"], "km")]
            for way in ways:
                row += [r[f"{way}_pairs_improved"], r[f"{way}_pairs_connected"],
                        *(cell(r[f"{way}_{f}"], unit) for f, unit in saved),
                        r[f"{way}_countries"].replace(", ", "-"), r[f"{way}_top_pairs"]]  # fmt: skip
            rows.append(row)
        write_csv(out, header, rows)
    elif not args.json and not page_on_stdout(args):
        head = f"Project appraisal  ·  context: {a.attrs['scenario']}  ·  routes by {a.attrs['by']}  ·  " + (
            f"{len(a.attrs['od'])} OD places, weights {a.attrs['weights']}"
        )
        rows = [
            [
                str(r["rank"]),
                r["project"],
                r["status"],
                fmt(r["new_km"]),
                f"{r['alone_pairs_improved']}/{r['alone_pairs_connected']}",
                fmt(r["alone_hours_saved"], 1),
                fmt(r["alone_cost_usd_per_t_saved"], 1),
                f"{r['removed_pairs_improved']}/{r['removed_pairs_connected']}",
                fmt(r["removed_hours_saved"], 1),
                fmt(r["removed_cost_usd_per_t_saved"], 1),
                r["alone_countries"] or r["removed_countries"],
            ]
            for r in a.to_dict("records")
        ]
        headers = ["#", "project", "status", "new km", "alone +/new", "h saved", "USD/t saved",
                   "removed +/new", "h saved", "USD/t saved", "who gains"]  # fmt: skip
        out.write(head + "\n\n" + table(rows, headers, {0, 3, 4, 5, 6, 7, 8, 9}) + "\n")
        best = a.iloc[0] if len(a) else None
        if best is not None and best["alone_top_pairs"]:
            out.write(f"\nPairs that gain most from {best['project']} alone: {best['alone_top_pairs']}\n")
        if args.map:
            out.write(f"\nMap written to {args.map}\n")
        if args.brief:
            out.write(f"Brief written to {args.brief}\n")
    return EXIT_OK
