"""The answer key: what each built-in policy should conclude for every generated Prop 64 conviction.

The key is worked out from the generator's own tables, which hold each conviction's section,
level, dates and sentence as the generator chose them, before any spelling, plea, comment or
partial-date quirk was written into the file. The pipeline reads only the file. So the key is a
second, independent reading of the law and of each policy's rules: where the two disagree, one of
them has a bug.

Each policy is restated here as an ordered list of rules over those facts. As in the policies,
the first rule that applies decides; a rule that grants relief on an uncertain fact is skipped,
and one that withholds relief on an uncertain fact sends the conviction to `Hand Review`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from clearance.review.answer_key import ANSWER_KEY_COLUMNS
from clearance.synthetic.generator.histories import quote, sql_list
from clearance.synthetic.generator.offenses import ATTEMPTED_SUPER_STRIKES, SUPER_STRIKES
from clearance.synthetic.generator.scenarios import SCENARIOS

PROP64_DATE = "2016-11-09"


@dataclass(frozen=True)
class KeyRule:
    """One rule of a restated policy: a result column of `key_facts` and what it decides."""

    result: str
    grants_relief: bool
    determination: str
    reason: str
    # The fact named in `Missing fact: ...` when a withholding rule cannot be ruled out.
    missing_fact: str = ""


# The Los Angeles pilot flow of 2019 (policies/la-pilot-2019.yaml with its default parameters).
LA_PILOT_2019 = (
    KeyRule("not_felony", False, "To be reviewed by City Attorneys", "Misdemeanor or Infraction"),
    KeyRule(
        "disposition_after_prop64",
        False,
        "Not eligible",
        "Occurred after 11/09/2016",
        "disposition date",
    ),
    KeyRule("is_11357_a_or_b", True, "Eligible for Dismissal", "11357(a) or 11357(b)"),
    KeyRule("is_11357", False, "Hand Review", "Other 11357", "section"),
    KeyRule(
        "la_super_strike_before_disposition",
        False,
        "Not eligible",
        "PC 667(e)(2)(c)(iv)",
        "disposition date of a possible super strike (2019 Los Angeles list)",
    ),
    KeyRule(
        "registration_before_disposition",
        False,
        "Not eligible",
        "PC 290",
        "disposition date of a possible PC 290 offense (2019 Los Angeles list)",
    ),
    KeyRule(
        "two_same_section_before_disposition",
        False,
        "Not eligible",
        "Two priors",
        "disposition date of a possible prior HS {section} conviction",
    ),
    KeyRule("age_50_or_older", True, "Eligible for Dismissal", "50 years or older"),
    KeyRule("age_21_or_younger", True, "Eligible for Dismissal", "21 years or younger"),
    KeyRule(
        "only_prop64_and_sentences_ended",
        True,
        "Eligible for Dismissal",
        "Only has 11357-60 charges and completed sentence",
    ),
    KeyRule(
        "no_conviction_in_10_years",
        True,
        "Eligible for Dismissal",
        "No convictions in past 10 years",
    ),
    KeyRule(
        "serving_sentence", False, "Hand Review", "Currently serving sentence", "end of a sentence"
    ),
    KeyRule("deceased", True, "Eligible for Dismissal", "Deceased"),
    KeyRule("always", False, "Hand Review", "No applicable eligibility criteria"),
)

# San Francisco's screen of 2018-2019 (policies/sf-2019.yaml).
SF_2019 = (
    KeyRule(
        "disposition_after_prop64",
        False,
        "Not eligible",
        "Sentenced after Prop 64",
        "disposition date",
    ),
    KeyRule(
        "not_felony", True, "Eligible for Dismissal", "Dismiss and seal: misdemeanor or infraction"
    ),
    KeyRule(
        "super_strike_before_conduct",
        False,
        "Not eligible",
        "Prior super strike",
        "disposition date of a possible super strike",
    ),
    KeyRule(
        "registration_before_conduct",
        False,
        "Not eligible",
        "Prior PC 290 offense",
        "disposition date of a possible PC 290 offense",
    ),
    KeyRule(
        "two_same_section_cycles_before_conduct",
        False,
        "Not eligible",
        "Two or more prior convictions",
        "disposition date of a possible prior HS {section} conviction",
    ),
    KeyRule("always", True, "Eligible for Dismissal", "Dismiss and seal: felony"),
)

DISMISS_ALL_PROP64 = (
    KeyRule("always", True, "Eligible for Dismissal", "Dismiss all Prop 64 charges"),
)

# Its related charges get relief too, but the key, like every policy's determinations, covers
# Prop 64 convictions only.
DISMISS_ALL_PROP64_AND_RELATED = (
    KeyRule("always", True, "Eligible for Dismissal", "Dismiss all Prop 64 and related charges"),
)

KEY_POLICIES: dict[str, tuple[KeyRule, ...]] = {
    "la-pilot-2019": LA_PILOT_2019,
    "sf-2019": SF_2019,
    "dismiss-all-prop64": DISMISS_ALL_PROP64,
    "dismiss-all-prop64-and-related": DISMISS_ALL_PROP64_AND_RELATED,
}


def _date_range(text: str, bound: str) -> str:
    """SQL for the first or last day a DOJ date text (YYYYMMDD, YYYYMM00, YYYY0000) can mean."""
    year = f"cast(left({text}, 4) as integer)"
    month = f"cast(substr({text}, 5, 2) as integer)"
    if bound == "start":
        return f"""case
            when {text} like '____0000' then make_date({year}, 1, 1)
            when {text} like '______00' then make_date({year}, {month}, 1)
            else strptime({text}, '%Y%m%d')::date end"""
    return f"""case
            when {text} like '____0000' then make_date({year}, 12, 31)
            when {text} like '______00' then last_day(make_date({year}, {month}, 1))
            else strptime({text}, '%Y%m%d')::date end"""


def _birthday(dob: str, years: str) -> str:
    """SQL for the day someone born on `dob` turns `years`; 29 February turns on 1 March."""
    target_year = f"(year({dob}) + {years})"
    leap = f"(({target_year} % 4 = 0 and {target_year} % 100 <> 0) or {target_year} % 400 = 0)"
    return f"""case when month({dob}) = 2 and day({dob}) = 29 and not {leap}
        then make_date({target_year}, 3, 1)
        else make_date({target_year}, month({dob}), day({dob})) end"""


def _prior_status(
    prior_start: str, prior_end: str, ref_start: str, ref_end: str, strict: bool
) -> str:
    """SQL for whether a prior's date range lies before a reference range: true, false or unknown.

    Against a disposition date, "before" is strictly before, so the same day is not before.
    Against a conduct date, a disposition that same day may have come first: unknown.
    """
    not_before = f"{prior_start} >= {ref_end}" if strict else f"{prior_start} > {ref_end}"
    return f"""case
        when {prior_end} < {ref_start} then 'true'
        when {not_before} then 'false'
        else 'unknown' end"""


def _any_of(status: str) -> str:
    """SQL aggregate: true when some prior is before, else unknown when some may be, else false."""
    return f"""case
        when bool_or({status} = 'true') then 'true'
        when bool_or({status} = 'unknown') then 'unknown'
        else 'false' end"""


def create_key_facts(con: duckdb.DuckDBPyConnection, county: str, compute_date: date) -> None:
    """Create temp table `key_facts`: one row per Prop 64 conviction in `county`, one column per rule.

    Each rule column is 'true', 'false' or 'unknown'. Reads the tables `subjects`, `counts`,
    `steps` and `sentenced` that the generator built.
    """
    compute = f"date '{compute_date.isoformat()}'"
    la_super_strikes = sql_list(list(SUPER_STRIKES))
    super_strikes = sql_list(list(SUPER_STRIKES + ATTEMPTED_SUPER_STRIKES))
    con.execute(
        f"""
        create or replace temp table key_convictions as
        with court_steps as (
            select subject, cycle, count_number, step_date_text
            from steps
            where step_type = 'COURT ACTION'
        ),

        -- A sentence is the sum of its parts, each unit added as calendar time.
        sentence_totals as (
            select
                subject,
                cycle,
                count_number,
                coalesce(sum(sent_length) filter (where sent_time_code = 'Y'), 0)::int as years,
                coalesce(sum(sent_length) filter (where sent_time_code = 'M'), 0)::int as months,
                coalesce(sum(sent_length) filter (where sent_time_code = 'D'), 0)::int as days,
            from sentenced
            where step_type = 'COURT ACTION' and sentence_part > 0
            group by subject, cycle, count_number
        ),

        dated as (
            select
                counts.subject,
                counts.cycle,
                counts.count_number,
                printf('%03d%03d%03d000', counts.cycle, 2, counts.count_number) as cnt_order,
                counts.county_name,
                counts.is_prop64,
                counts.prop64_section,
                counts.prop64_subsection,
                counts.offense_toc = 'F' as is_felony,
                counts.cycle_date as conduct_date,
                {_date_range("court_steps.step_date_text", "start")} as disposition_start,
                {_date_range("court_steps.step_date_text", "end")} as disposition_end,
                counts.offense_text in {la_super_strikes.replace("[", "(").replace("]", ")")}
                    or counts.is_gang_pair as is_la_super_strike,
                counts.offense_text in {super_strikes.replace("[", "(").replace("]", ")")}
                    or counts.is_gang_pair as is_super_strike,
                coalesce(sentence_totals.years, 0) as sentence_years,
                coalesce(sentence_totals.months, 0) as sentence_months,
                coalesce(sentence_totals.days, 0) as sentence_days,
            from counts
            inner join court_steps
                on counts.subject = court_steps.subject
                and counts.cycle = court_steps.cycle
                and counts.count_number = court_steps.count_number
            left join sentence_totals
                on counts.subject = sentence_totals.subject
                and counts.cycle = sentence_totals.cycle
                and counts.count_number = sentence_totals.count_number
            where counts.convicted
        )

        select
            *,
            (disposition_start + to_years(sentence_years) + to_months(sentence_months)
                + to_days(sentence_days))::date as sentence_end_start,
            (disposition_end + to_years(sentence_years) + to_months(sentence_months)
                + to_days(sentence_days))::date as sentence_end_end,
        from dated
        """
    )
    con.execute(
        f"""
        create or replace temp table key_facts as
        with county_prop64 as (
            select * from key_convictions
            where is_prop64 and county_name = {quote(county)}
        ),

        registrations as (
            select subject, strptime(step_date_text, '%Y%m%d')::date as registered_on
            from steps
            where step_type = 'REGISTRATION'
        ),

        subject_facts as (
            select
                subject,
                bool_and(is_prop64) as only_prop64,
                max(disposition_start) as latest_conviction_start,
                max(disposition_end) as latest_conviction_end,
                max(sentence_end_start) as latest_sentence_end_start,
                max(sentence_end_end) as latest_sentence_end_end,
            from key_convictions
            group by subject
        ),

        -- Earlier convictions of the same subject in another court case (another cycle: the
        -- generator writes one court action per cycle), with their standing before this one.
        priors as (
            select
                this.subject,
                this.cnt_order,
                other.cycle,
                other.is_la_super_strike,
                other.is_super_strike,
                other.prop64_section = this.prop64_section as is_same_section,
                {
            _prior_status(
                "other.disposition_start",
                "other.disposition_end",
                "this.disposition_start",
                "this.disposition_end",
                strict=True,
            )
        }
                    as before_disposition,
                {
            _prior_status(
                "other.disposition_start",
                "other.disposition_end",
                "this.conduct_date",
                "this.conduct_date",
                strict=False,
            )
        } as before_conduct,
            from county_prop64 as this
            inner join key_convictions as other
                on this.subject = other.subject and this.cycle <> other.cycle
        ),

        prior_facts as (
            select
                subject,
                cnt_order,
                {_any_of("case when is_la_super_strike then before_disposition end")}
                    as la_super_strike_before_disposition,
                {_any_of("case when is_super_strike then before_conduct end")}
                    as super_strike_before_conduct,
                case
                    when count(*) filter (where is_same_section and before_disposition = 'true') >= 2
                        then 'true'
                    when count(*) filter (where is_same_section and before_disposition <> 'false') < 2
                        then 'false'
                    else 'unknown'
                end as two_same_section_before_disposition,
                case
                    when count(distinct cycle) filter (
                        where is_same_section and before_conduct = 'true') >= 2 then 'true'
                    when count(distinct cycle) filter (
                        where is_same_section and before_conduct <> 'false') < 2 then 'false'
                    else 'unknown'
                end as two_same_section_cycles_before_conduct,
            from priors
            group by subject, cnt_order
        ),

        registration_facts as (
            select
                this.subject,
                this.cnt_order,
                {
            _any_of(
                _prior_status(
                    "registered_on",
                    "registered_on",
                    "this.disposition_start",
                    "this.disposition_end",
                    strict=True,
                )
            )
        }
                    as registration_before_disposition,
                {
            _any_of(
                _prior_status(
                    "registered_on",
                    "registered_on",
                    "this.conduct_date",
                    "this.conduct_date",
                    strict=False,
                )
            )
        }
                    as registration_before_conduct,
            from county_prop64 as this
            inner join registrations on this.subject = registrations.subject
            group by this.subject, this.cnt_order
        ),

        cutoff as (
            select ({compute} - to_years(10))::date as ten_years_before
        )

        select
            this.subject,
            subjects.subject_number,
            this.cnt_order,
            -- The subject's scenario planned this conviction; others come from the background.
            case when planned.cycle is not null and this.count_number = 1
                then subjects.scenario else 'background' end as scenario,
            this.prop64_section,
            case when this.is_felony then 'false' else 'true' end as not_felony,
            case
                when this.disposition_start >= date '{PROP64_DATE}' then 'true'
                when this.disposition_end < date '{PROP64_DATE}' then 'false'
                else 'unknown'
            end as disposition_after_prop64,
            case when this.prop64_section = '11357' and this.prop64_subsection in ('(a)', '(b)')
                then 'true' else 'false' end as is_11357_a_or_b,
            case when this.prop64_section = '11357' then 'true' else 'false' end as is_11357,
            coalesce(prior_facts.la_super_strike_before_disposition, 'false')
                as la_super_strike_before_disposition,
            coalesce(prior_facts.super_strike_before_conduct, 'false') as super_strike_before_conduct,
            coalesce(registration_facts.registration_before_disposition, 'false')
                as registration_before_disposition,
            coalesce(registration_facts.registration_before_conduct, 'false')
                as registration_before_conduct,
            coalesce(prior_facts.two_same_section_before_disposition, 'false')
                as two_same_section_before_disposition,
            coalesce(prior_facts.two_same_section_cycles_before_conduct, 'false')
                as two_same_section_cycles_before_conduct,
            case
                when subjects.recorded_dob is null then 'unknown'
                when {_birthday("subjects.recorded_dob", "50")} <= {compute} then 'true'
                else 'false'
            end
                as age_50_or_older,
            case
                when subjects.recorded_dob is null then 'unknown'
                when {compute} < {_birthday("subjects.recorded_dob", "22")} then 'true'
                else 'false'
            end
                as age_21_or_younger,
            case
                when not subject_facts.only_prop64 then 'false'
                when subject_facts.latest_sentence_end_end <= {compute} then 'true'
                when subject_facts.latest_sentence_end_start > {compute} then 'false'
                else 'unknown'
            end as only_prop64_and_sentences_ended,
            case
                when subject_facts.latest_conviction_end <= cutoff.ten_years_before then 'true'
                when subject_facts.latest_conviction_start > cutoff.ten_years_before then 'false'
                else 'unknown'
            end as no_conviction_in_10_years,
            case
                when subject_facts.latest_sentence_end_start > {compute} then 'true'
                when subject_facts.latest_sentence_end_end <= {compute} then 'false'
                else 'unknown'
            end as serving_sentence,
            case when subjects.deceased then 'true' else 'false' end as deceased,
            'true' as always,
        from county_prop64 as this
        cross join cutoff
        inner join subjects on this.subject = subjects.subject
        left join cycles as planned
            on this.subject = planned.subject and this.cycle = planned.cycle and planned.is_planned
        inner join subject_facts on this.subject = subject_facts.subject
        left join prior_facts
            on this.subject = prior_facts.subject and this.cnt_order = prior_facts.cnt_order
        left join registration_facts
            on this.subject = registration_facts.subject
            and this.cnt_order = registration_facts.cnt_order
        """
    )


def _decision_sql(rules: tuple[KeyRule, ...]) -> str:
    """SQL struct of the first rule that decides, over the rule columns of `key_facts`."""
    checks = []
    for rule in rules:
        missing = quote("Missing fact: " + rule.missing_fact).replace(
            "{section}", "' || prop64_section || '"
        )
        checks.append(
            f"""case
                when {rule.result} = 'true' then {{'determination': {quote(rule.determination)},
                    'reason': {quote(rule.reason)}}}
                when {rule.result} = 'unknown' and not {rule.grants_relief}
                    then {{'determination': 'Hand Review', 'reason': {missing}}}
            end"""
        )
    return f"list_filter([{', '.join(checks)}], lambda decided: decided is not null)[1]"


def create_answer_key(con: duckdb.DuckDBPyConnection, county: str, compute_date: date) -> None:
    """Create temp table `answer_key` with one row per conviction per policy in KEY_POLICIES."""
    create_key_facts(con, county, compute_date)
    selects = []
    for policy, rules in KEY_POLICIES.items():
        selects.append(
            f"""
            select
                {quote(county)} as county,
                cast(subject_number as varchar) as subject_id,
                cnt_order,
                {quote(policy)} as policy,
                {_decision_sql(rules)} as decided,
                scenario,
                {quote(compute_date.isoformat())} as compute_date,
            from key_facts
            """
        )
    con.execute(
        f"""
        create or replace temp table answer_key as
        select * exclude (decided), decided.determination, decided.reason
        from ({" union all ".join(selects)})
        """
    )


def answer_key_csv_sql() -> str:
    """SQL that selects the key's rows in file order and column order."""
    return (
        f"select {', '.join(ANSWER_KEY_COLUMNS)} from answer_key "
        "order by policy, subject_id, cnt_order"
    )


def scenario_realization(con: duckdb.DuckDBPyConnection, policy: str) -> dict[str, dict[str, int]]:
    """Count per scenario of `policy` the planned convictions and those the key ends as planned.

    Reads `answer_key`. A plan can miss when a partial date blurs the order of two convictions
    or a history has no earlier cycle for the disqualifier.
    """
    realization = {}
    for name, scenario in SCENARIOS[policy].items():
        planned, realized = con.execute(
            f"""
            select
                count(*),
                count(*) filter (
                    where reason in {_sql_tuple(scenario.reasons)}
                    and ({quote(scenario.determination)} = '' or determination = {quote(scenario.determination)})
                ),
            from answer_key
            where policy = $policy and scenario = $scenario
            """,
            {"policy": policy, "scenario": name},
        ).fetchone()
        realization[name] = {"planned": planned, "realized": realized}
    return realization


def _sql_tuple(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(quote(value) for value in values) + ")"
