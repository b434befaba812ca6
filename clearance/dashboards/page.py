"""The self-contained HTML page: sections, methods box and the inlined chart libraries.

The page loads nothing from anywhere. Vega, Vega-Lite and Vega-Embed are inlined from the
bundle that the `vl-convert-python` package ships, and fonts are the reader's system fonts. A
Content-Security-Policy forbids every request, so a page opened from a file or a mail
attachment looks the same offline.
"""

from __future__ import annotations

import json
import logging
import os
import re
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from clearance.dashboards.figures import DashboardFigures
from clearance.dashboards.sections import Section, Table, build_sections, relieved_text
from clearance.dashboards.suppression import SMALL_CELL_MAX, SuppressionPlan

logger = logging.getLogger(__name__)

# The Vega-Lite version Altair 6.3 writes specifications for; vl-convert bundles it.
VEGA_LITE_VERSION = "6.4"
# Inline scripts and styles only; Vega compiles its expressions with Function, which needs
# 'unsafe-eval'. Any request the page tried would be blocked and logged as an error.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data:"
)

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f6f3; color: #1d1d1d; line-height: 1.45;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.25rem; }
h1 { font-size: 1.6rem; margin: 0.2rem 0 0.4rem; }
h2 { font-size: 1.2rem; margin: 0 0 0.25rem; }
.subtitle { margin: 0 0 1rem; color: #444; }
.banner { background: #fff3c4; border: 2px solid #a67c00; padding: 0.6rem 0.9rem;
  border-radius: 6px; margin: 0.75rem 0; font-weight: 600; }
.headline { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr));
  gap: 0.75rem; margin: 0 0 1rem; padding: 0; }
.headline div { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 0.6rem 0.8rem; }
.headline dt { font-size: 0.85rem; color: #444; }
.headline dd { margin: 0; font-size: 1.45rem; font-weight: 700; }
section.chart-section, aside.methods { background: #fff; border: 1px solid #ddd; border-radius: 6px;
  padding: 1rem; margin: 0 0 1rem; }
.takeaway { margin: 0 0 0.75rem; font-size: 1.02rem; }
.section-body { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.25rem;
  align-items: start; }
@media (max-width: 820px) {
  .section-body { grid-template-columns: minmax(0, 1fr); }
  section.chart-section, aside.methods { padding: 0.7rem; }
  header, main, footer { padding: 0 0.5rem; }
  table { font-size: 0.8rem; }
}
figure { margin: 0; min-width: 0; }
.chart { width: 100%; min-height: 60px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { border-bottom: 1px solid #e2e2e2; padding: 0.25rem 0.4rem; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
td.count { text-align: right; font-variant-numeric: tabular-nums; overflow-wrap: normal;
  white-space: nowrap; }
thead th { border-bottom: 2px solid #bbb; }
.note { font-size: 0.85rem; color: #444; margin: 0.5rem 0 0; }
.methods dt { font-weight: 600; margin-top: 0.5rem; }
.methods dd { margin: 0.1rem 0 0; }
footer { color: #555; font-size: 0.85rem; padding-bottom: 2rem; }
"""

CHART_SCRIPT = """
document.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (node) {
  var target = document.getElementById(node.getAttribute("data-chart"));
  vegaEmbed(target, JSON.parse(node.textContent), {actions: false, renderer: "svg"})
    .catch(function (error) {
      target.textContent = "This chart could not be drawn; the table beside it has its numbers.";
      console.error(error);
    });
});
"""


@lru_cache(maxsize=1)
def chart_libraries() -> str:
    """Return Vega, Vega-Lite and Vega-Embed as one script that defines `vegaEmbed`.

    vl-convert bundles the script anew on every call, which took about 1.8 s, so the bundle
    is kept in the user's cache folder under the versions that made it.
    """
    import vl_convert

    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    cached = (
        cache_home
        / "clearance"
        / (f"vega-bundle-{vl_convert.__version__}-vl{VEGA_LITE_VERSION}.js")
    )
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    bundle = vl_convert.javascript_bundle(vl_version=VEGA_LITE_VERSION)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f".{cached.name}.{os.getpid()}.partial")
        partial.write_text(bundle, encoding="utf-8")
        partial.replace(cached)
    except OSError as error:
        # A read-only home only costs the next run the same wait.
        logger.warning("Could not keep the chart script in %s: %s", cached.parent, error)
    return bundle


def _json_script_text(value: Any) -> str:
    # "</" inside a JSON string would end the inline script early; "<\\/" reads the same.
    return json.dumps(value).replace("</", "<\\/")


def _library_script_text(code: str) -> str:
    # Only a closing script tag ends an inline script; the bundle's regular expressions contain
    # other "</" sequences, which an escape would break.
    if re.search(r"</script|<!--", code, flags=re.IGNORECASE):
        raise ValueError("the chart library bundle contains </script or <!--; it cannot be inlined")
    return code


def render_page(figures: DashboardFigures, generated_at: str) -> str:
    """Return the dashboard page of the figures as one HTML document."""
    sections, plan = build_sections(figures)
    title = f"Prop 64 record clearance: {figures.area}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="subtitle">{escape(_subtitle(figures))}</p>',
        *_banner(figures),
        _headline(figures, plan),
        "</header>",
        "<main>",
        *(_section_html(section) for section in sections),
        _methods(figures, generated_at),
        "</main>",
        "<footer>",
        f"<p>Generated {escape(generated_at)} by the clearance warehouse. Counts of 1 to "
        f"{SMALL_CELL_MAX} people or convictions, and counts that would give one back, read "
        "\u201csuppressed\u201d.</p>",
        "</footer>",
        f"<script>{_library_script_text(chart_libraries())}</script>",
        f"<script>{CHART_SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _subtitle(figures: DashboardFigures) -> str:
    if figures.is_statewide:
        counties = ", ".join(p.county.title() for p in figures.publications)
        return f"Every county's latest published run: {counties}."
    publication = figures.publications[0]
    return (
        f"Policy {publication.summary['policy']['name']}, computed at "
        f"{publication.summary['compute_date']}, run {publication.summary['run_id']}."
    )


def _banner(figures: DashboardFigures) -> list[str]:
    scales = [p.generation_scale for p in figures.publications]
    if all(scale is None for scale in scales):
        return []
    synthetic = [p.county.title() for p, s in zip(figures.publications, scales, strict=True) if s]
    return [
        '<p class="banner" role="note">Synthetic demo data: every person behind these figures '
        f"is invented by the project's data generator ({escape(', '.join(synthetic))}). The "
        "figures say nothing about real people.</p>"
    ]


def _headline(figures: DashboardFigures, plan: SuppressionPlan) -> str:
    county = figures.county_policy
    items = [
        ("Prop 64 convictions", plan.text(("convictions",))),
        ("Eligible for dismissal or reduction", plan.text(("policy", county.key, "eligible"))),
        ("People relieved", relieved_text(plan, figures)),
        ("People left with no conviction", plan.text(("policy", county.key, "no_conviction_left"))),
    ]
    cells = "".join(
        f"<div><dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>" for label, value in items
    )
    return f'<dl class="headline">{cells}</dl>'


def _table_html(table: Table) -> str:
    head = "".join(f'<th scope="col">{escape(header)}</th>' for header in table.headers)
    body = []
    for row in table.rows:
        cells = [f'<th scope="row">{escape(row[0])}</th>']
        for value in row[1:]:
            css = ' class="count"' if _is_count_text(value) else ""
            cells.append(f"<td{css}>{escape(value)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div class="table-wrap"><table id="{table.table_id}">'
        f"<caption>{escape(table.caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _is_count_text(value: str) -> bool:
    return value == "suppressed" or value.replace(",", "").rstrip("%").isdigit()


def _section_html(section: Section) -> str:
    chart = ""
    if section.chart is not None:
        chart_id = f"chart-{section.section_id}"
        spec = _json_script_text(section.chart)
        chart = (
            f'<figure><div class="chart" id="{chart_id}" role="img" '
            f'aria-label="{escape(section.title)}: the table beside it lists every number"></div>'
            f'<script type="application/json" data-chart="{chart_id}">{spec}</script></figure>'
        )
    notes = "".join(f'<p class="note">{escape(note)}</p>' for note in section.notes)
    return (
        f'<section class="chart-section" id="{section.section_id}" '
        f'aria-labelledby="{section.section_id}-title">'
        f'<h2 id="{section.section_id}-title">{escape(section.title)}</h2>'
        f'<p class="takeaway">{escape(section.takeaway)}</p>'
        f'<div class="section-body">{chart}<div>{_table_html(section.table)}{notes}</div></div>'
        "</section>"
    )


def _methods(figures: DashboardFigures, generated_at: str) -> str:
    entries: list[tuple[str, str]] = []
    for publication in figures.publications:
        summary = publication.summary
        prefix = f"{publication.county.title()}: " if figures.is_statewide else ""
        files = "; ".join(
            f"{item.file_name}, last modified {item.modified_at[:10] if item.modified_at else 'not recorded'}"
            for item in publication.inputs
        )
        entries.append(("Data as of", f"{prefix}DOJ research file {files or 'not recorded'}."))
        entries.append(
            (
                "Compute date",
                f"{prefix}{summary['compute_date']}: ages and the seven-year window are measured "
                "on this date.",
            )
        )
        entries.append(("Policy", f"{prefix}{_policy_text(summary['policy'])}"))
        lines = summary.get("lines")
        if lines is not None:
            entries.append(
                (
                    "Lines quarantined",
                    f"{prefix}{lines['lines_quarantined']:,} of {lines['lines_read']:,} lines of "
                    "the DOJ file could not be read as records and were set aside with a "
                    "reason. A conviction on one of those lines is in none of these counts.",
                )
            )
    entries += [
        (
            "Eligible",
            "A Prop 64 conviction (Health and Safety Code 11357 to 11360) in the county is "
            "eligible when the first rule of the policy that applies to it determines Eligible "
            "for Dismissal or Eligible for Reduction. A person is relieved when at least one "
            "conviction is. No felony left, no conviction left and no conviction in the last 7 "
            "years look at every conviction on the person's DOJ record, in every county. No "
            "felony left counts only people who had a felony conviction, and its share is of "
            "them. No conviction in the last 7 years counts only people who had a conviction "
            "in the 7 years before the compute date and are left with none there, and its share "
            "is of those people. A conviction sent to review is not denied relief: a "
            "prosecutor decides it by hand.",
        ),
        (
            "What the data cannot show",
            "The DOJ research file records no amounts of cannabis and does not say whether a "
            "sale involved a minor, so rules that depend on them cannot be applied here; such "
            "cases need the court file. Convictions missing from the DOJ data are not counted "
            "unless a court file was linked.",
        ),
        (
            "Caveats",
            "Counts describe the DOJ research file as received, including its errors. "
            f"Counts of 1 to {SMALL_CELL_MAX} people or convictions are suppressed, and so are "
            "further counts that would let a reader work one out from a total. Hypothetical "
            "policies show what broader relief would do; no court has ordered it.",
        ),
        ("Generated", generated_at),
    ]
    items = "".join(f"<dt>{escape(term)}</dt><dd>{escape(text)}</dd>" for term, text in entries)
    return (
        '<aside class="methods" aria-labelledby="methods-title">'
        f'<h2 id="methods-title">Methods</h2><dl>{items}</dl></aside>'
    )


def _policy_text(policy: dict[str, Any]) -> str:
    parameters = policy.get("parameters") or {}
    if not parameters:
        return f"{policy['name']}, with its default parameters."
    listed = ", ".join(f"{name} = {value}" for name, value in sorted(parameters.items()))
    return f"{policy['name']}, with {listed}."
