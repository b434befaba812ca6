"""Column layouts of the 2019 statewide tool's CSV exports."""

from __future__ import annotations

from clearance.doj_layout import BLANKED_COLUMNS

# The 18 columns appended to every DOJ row: (CSV header, column of exports.exp_doj__results).
ELIGIBILITY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Case Number", "case_number"),
    ("# of convictions on record", "convictions_on_record"),
    ("Possible Other P64 Charges", "possible_other_p64_charges"),
    ("Occurred after 11/9/2016", "occurred_after_prop64"),
    ("Superstrike Code Section(s)", "superstrike_code_sections"),
    ("PC290 Code Section(s)", "pc290_code_sections"),
    ("PC290 Registration", "pc290_registration"),
    ("Date of Conviction", "date_of_conviction"),
    ("Years Since This Conviction", "years_since_this_conviction"),
    ("Years Since Any Conviction", "years_since_any_conviction"),
    ("# of Prop 64 convictions", "prop64_conviction_count"),
    ("# of HS 11357 convictions", "hs_11357_conviction_count"),
    ("# of HS 11358 convictions", "hs_11358_conviction_count"),
    ("# of HS 11359 convictions", "hs_11359_conviction_count"),
    ("# of HS 11360 convictions", "hs_11360_conviction_count"),
    ("Deceased", "deceased"),
    ("Eligibility Determination", "eligibility_determination"),
    ("Eligibility Reason", "eligibility_reason"),
)

CONDENSED_DOJ_COLUMNS: tuple[str, ...] = (
    "CII_NUMBER",
    "PRI_NAME",
    "GENDER",
    "PRI_DOB",
    "RACE_DESCR",
    "CYC_DATE",
    "STP_EVENT_DATE",
    "STP_ORI_DESCR",
    "STP_ORI_CNTY_NAME",
    "DISP_DATE",
    "OFN",
    "OFFENSE_DESCR",
    "DISP_DESCR",
    "CONV_STAT_DESCR",
    "SENT_LOC_DESCR",
    "SENT_LENGTH",
    "SENT_TIME_CODE",
    "CYC_AGE",
    "COMMENT_TEXT",
    "END_OF_REC",
)


def doj_column_sql(name: str) -> str:
    """Return the select expression of one DOJ column, blanking the identifiers that stay raw."""
    if name in BLANKED_COLUMNS:
        return f'null as "{name}"'
    # An empty field prints as an empty cell, as in the input, rather than as a quoted "".
    return f'nullif(doj."{name}", \'\') as "{name}"'


def eligibility_column_sql() -> list[str]:
    """Return the select expressions of the 18 appended columns, under their CSV headers."""
    return [f'results.{column} as "{header}"' for header, column in ELIGIBILITY_COLUMNS]
