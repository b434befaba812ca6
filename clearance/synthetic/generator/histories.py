"""SQL that builds synthetic criminal histories: subjects, cycles, steps, counts and sentence parts.

Everything is drawn from `hash(...)` of the row's keys and the seed, so one DuckDB statement per
table builds the whole population with no Python loop per row, and the same seed gives the same
tables. Dates go forward within a history: arrests start at `min_arrest_age`, cycles are spread
in order over the subject's life, and court actions follow their arrest.
"""

from __future__ import annotations

import duckdb

from clearance.synthetic.generator.calibration import Calibration
from clearance.synthetic.generator.names import NamePools
from clearance.synthetic.generator.offenses import (
    ATTEMPTED_SUPER_STRIKES,
    GANG_ENHANCEMENT_COUNT,
    GANG_ENHANCEMENT_INLINE,
    GANG_PAIR_OFFENSE,
    OTHER_OFFENSES,
    PC290_CONVICTION,
    PROP64_OFFENSES,
    SUPER_STRIKES,
)


def quote(text: str) -> str:
    """Return `text` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def sql_list(values: tuple[str, ...] | list[str]) -> str:
    """Return a DuckDB list literal of strings."""
    return "[" + ", ".join(quote(value) for value in values) + "]"


def create_macros(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """Create the macros `draw`, a uniform number from 0 up to 1, and `pick`, a whole number below n.

    Both hash their keys with the seed, so a value depends only on the row it is drawn for.
    """
    con.execute(
        f"""
        create or replace temp macro draw(a, b, c, tag) as
            (hash(a, b, c, tag, {int(seed)}) % 1000003) / 1000003.0;
        create or replace temp macro pick(a, b, c, tag, n) as
            cast(floor(draw(a, b, c, tag) * n) as integer);
        """
    )


def create_subjects(
    con: duckdb.DuckDBPyConnection,
    calibration: Calibration,
    pools: NamePools,
    subjects: int,
    first_subject_number: int,
) -> None:
    """Create temp table `subjects`: one row per person with identity, demographics and flags.

    Reads each subject's planned outcome from `subject_scenarios`.
    """
    population = calibration.population
    first_year, last_year = population["birth_years"]
    races = list(population["race_shares"].items())
    race_cases = []
    cumulative = 0.0
    for race, share in races[:-1]:
        cumulative += float(share)
        race_cases.append(f"when draw(s, 0, 0, 'race') < {cumulative} then {quote(race)}")
    race_sql = "case " + " ".join(race_cases) + f" else {quote(races[-1][0])} end"
    con.execute(
        f"""
        create or replace temp table subjects as
        with drawn as (
            select
                s as subject,
                {int(first_subject_number)} + s as subject_number,
                scenarios.scenario,
                scenarios.offenses as scenario_offenses,
                scenarios.prior as scenario_prior,
                scenarios.earlier_cycles_needed,
                -- A scenario that depends on the age on the compute date sets the birth years
                -- or the date of birth.
                coalesce(
                    scenarios.birth_date,
                    make_date(coalesce(scenarios.first_birth_year, {int(first_year)}), 1, 1)
                        + pick(s, 0, 0, 'dob', 365 * (
                            coalesce(scenarios.last_birth_year, {int(last_year)})
                            - coalesce(scenarios.first_birth_year, {int(first_year)}) + 1
                        ))
                ) as dob,
                -- The date of birth as the DOJ rows give it.
                case when not scenarios.birth_date_missing then dob end as recorded_dob,
                draw(s, 0, 0, 'sex') < {float(population["male_share"])} as male,
                {race_sql} as race,
                draw(s, 0, 0, 'accent') < {calibration.rate("non_ascii_name")} as accented,
                {int(population["min_cycles"])} + cast(floor(
                    pow(draw(s, 0, 0, 'cycles'), 2)
                    * {int(population["max_cycles"]) - int(population["min_cycles"]) + 1}
                ) as integer) as cycles,
                draw(s, 0, 0, 'dead') < {calibration.rate("deceased")} as deceased,
                draw(s, 0, 0, 'pc290') < {calibration.rate("pc290_registration")} as pc290,
            from range({int(subjects)}) as t(s)
            inner join subject_scenarios as scenarios on t.s = scenarios.subject
        )
        select
            *,
            case when accented
                then {sql_list(pools.accented_last)}[1 + pick(subject, 0, 0, 'last', {len(pools.accented_last)})]
                else {sql_list(pools.last)}[1 + pick(subject, 0, 0, 'last', {len(pools.last)})]
            end
            || ',' || {sql_list(pools.first)}[1 + pick(subject, 0, 0, 'first', {len(pools.first)})]
            || case when draw(subject, 0, 0, 'middle') < 0.6
                then ' ' || {sql_list(pools.first)}[1 + pick(subject, 0, 0, 'middle', {len(pools.first)})]
                else '' end
                as full_name,
            -- Area 9xx and group 00 are never issued, so these cannot be anyone's SSN.
            printf('9%02d00%04d', pick(subject, 0, 0, 'ssn_area', 100),
                pick(subject, 0, 0, 'ssn_serial', 10000)) as ssn,
            printf('A%09d', subject_number) as cii_number,
            greatest(
                dob + to_years({int(population["min_arrest_age"])}),
                date '{int(population["first_history_year"])}-01-01'
            )::date as history_start,
            least(dob + to_years(70), date '{population["last_history_date"]}')::date
                as history_end,
        from drawn
        """
    )


def create_cycles(con: duckdb.DuckDBPyConnection, calibration: Calibration, county: str) -> None:
    """Create temp table `cycles`: one row per arrest-to-disposition episode, dated in order.

    One cycle per subject is the planned Prop 64 conviction in the county, arrested before
    `prop64_conviction_before`. The first cycle always falls before that date, so every subject
    has one to choose from. The cycles just before it hold the disqualifier its scenario plans.
    """
    population = calibration.population
    before = population["prop64_conviction_before"]
    counties = tuple(population["other_counties"])
    con.execute(
        f"""
        create or replace temp table cycles as
        with expanded as (
            select
                subject,
                history_start,
                history_end,
                -- A planned disqualifier needs its cycles before the planned one.
                greatest(cycles, earlier_cycles_needed + 1) as cycles,
                pc290,
                scenario_prior,
                earlier_cycles_needed,
                unnest(range(1, greatest(cycles, earlier_cycles_needed + 1) + 1)) as cycle,
            from subjects
        ),

        dated as (
            select
                subject,
                cycle,
                cycles,
                pc290,
                scenario_prior,
                earlier_cycles_needed,
                case
                    -- With a planned disqualifier, the first cycles up to the planned one share
                    -- the years before the cut-off and the rest share the years after it.
                    when earlier_cycles_needed > 0 and history_end > date '{before}'
                        and cycle <= earlier_cycles_needed + 1
                        then history_start + cast(floor(
                            date_diff('day', history_start, date '{before}' - 1)
                            * (cycle - 1 + draw(subject, cycle, 0, 'date'))
                            / (earlier_cycles_needed + 1)) as integer)
                    when earlier_cycles_needed > 0 and history_end > date '{before}'
                        then date '{before}' + cast(floor(
                            date_diff('day', date '{before}', history_end)
                            * (cycle - earlier_cycles_needed - 2 + draw(subject, cycle, 0, 'date'))
                            / greatest(cycles - earlier_cycles_needed - 1, 1)) as integer)
                    when cycle = 1 then history_start + cast(floor(
                        date_diff('day', history_start, least(history_end, date '{before}' - 1))
                        * draw(subject, cycle, 0, 'date') / cycles) as integer)
                    else history_start + cast(floor(
                        date_diff('day', history_start, history_end)
                        * (cycle - 1 + draw(subject, cycle, 0, 'date')) / cycles) as integer)
                end as cycle_date,
            from expanded
        ),

        -- A scenario with a disqualifier needs earlier cycles to put it in, so it plans a
        -- later cycle when the history has one before the cut-off.
        planned as (
            select
                subject,
                cycle,
                row_number() over (
                    partition by subject
                    order by cycle <= earlier_cycles_needed, hash(subject, cycle, 'planned'), cycle
                ) = 1 as is_planned,
            from dated
            where cycle_date < date '{before}'
        ),

        kinds as (
            select
                dated.*,
                coalesce(planned.is_planned, false) as is_planned,
            from dated
            left join planned on dated.subject = planned.subject and dated.cycle = planned.cycle
        ),

        with_planned_cycle as (
            select
                *,
                max(case when is_planned then cycle end) over (partition by subject)
                    as planned_cycle,
                max(case when is_planned then cycle_date end) over (partition by subject)
                    as planned_cycle_date,
            from kinds
        ),

        roles as (
            select
                *,
                case
                    when scenario_prior = 'super_strike' and cycle = planned_cycle - 1
                        then 'super_strike'
                    when scenario_prior = 'pc290' and cycle = planned_cycle - 1 then 'pc290'
                    when scenario_prior = 'same_section'
                        and cycle between planned_cycle - 2 and planned_cycle - 1
                        then 'same_section_prior'
                end as planned_prior,
            from with_planned_cycle
        ),

        -- A PC 290 conviction that no scenario asked for goes into the last cycle, when that
        -- comes after the planned one: before it, the registration would disqualify it.
        final as (
            select
                subject,
                cycle,
                cycle_date,
                is_planned,
                planned_cycle,
                planned_prior is not null as is_planned_prior,
                case
                    when is_planned then 'planned_prop64'
                    when planned_prior is not null then planned_prior
                    when pc290 and cycle = cycles and cycle > planned_cycle then 'pc290'
                    when draw(subject, cycle, 0, 'arrest_only')
                        < {float(population["arrest_only_cycle_share"])} then 'arrest_only'
                    when draw(subject, cycle, 0, 'cannabis')
                        < {float(population["cannabis_cycle_share"])} then 'cannabis'
                    else 'other'
                end as kind,
                case
                    when not is_planned and draw(subject, cycle, 0, 'county')
                        < {calibration.rate("out_of_county_cycle")}
                        then {sql_list(counties)}[1 + pick(subject, cycle, 0, 'other_county', {len(counties)})]
                    else {quote(county)}
                end as county_name,
                -- A planned prior is disposed of at least two months before the planned
                -- arrest, so that a PC 290 registration fits in between.
                case
                    when planned_prior is not null then greatest(cycle_date, least(
                        cycle_date + 20 + pick(subject, cycle, 0, 'court_delay', 100),
                        planned_cycle_date - 62
                    ))
                    else least(
                        cycle_date + 20 + pick(subject, cycle, 0, 'court_delay', 100),
                        date '{population["last_history_date"]}'
                    )
                end::date as court_date,
                case when planned_prior = 'pc290' then planned_cycle_date - 1 end::date
                    as registered_by,
            from roles
        )

        select * from final
        """
    )


def _with_subsection_if(candidates: str, spelling: str, subsections: str) -> str:
    """SQL: the candidate offenses that have a subsection, when the spelling needs one and some do."""
    with_subsection = f"list_filter({candidates}, lambda i: {subsections}[i] <> '')"
    return f"""case
        when {spelling} in ('letters_after_number', 'lower_case_subsection')
            and len({with_subsection}) > 0 then {with_subsection}
        else {candidates}
    end"""


def create_counts(con: duckdb.DuckDBPyConnection, calibration: Calibration) -> None:
    """Create temp table `counts`: one row per charge of a cycle, with offense texts and outcome.

    The offense that counts for a Prop 64 conviction is written in one of the spellings that the
    calibration table lists. Each Prop 64 count also draws at most one offense quirk: a plea to
    another section, the charge in the comment, or another section in the comment.
    """
    prop64_sections = sql_list([section for section, _, _, _ in PROP64_OFFENSES])
    prop64_subsections = sql_list([sub for _, sub, _, _ in PROP64_OFFENSES])
    prop64_descriptions = sql_list([descr for _, _, descr, _ in PROP64_OFFENSES])
    prop64_tocs = sql_list([toc for _, _, _, toc in PROP64_OFFENSES])
    other_texts = sql_list([text for text, _ in OTHER_OFFENSES])
    other_tocs = sql_list([toc for _, toc in OTHER_OFFENSES])
    n_prop64 = len(PROP64_OFFENSES)
    # Super strikes are replaced by a burglary before the planned conviction, unless its
    # scenario put one there.
    super_strike_numbers = [
        number
        for number, (text, _) in enumerate(OTHER_OFFENSES, start=1)
        if text in SUPER_STRIKES + ATTEMPTED_SUPER_STRIKES
    ]
    burglary_number = 1

    # Cumulative bounds of the mutually exclusive draws.
    spellings = [
        "letters_after_number",
        "no_space_before_book",
        "lower_case_subsection",
        "penal_code_miscoding",
        "missing_book",
    ]
    spelling_bounds = []
    total = 0.0
    for name in spellings:
        total += calibration.rate(name)
        spelling_bounds.append(total)
    conv_bound = calibration.rate("conviction_offense_differs")
    comment_bound = conv_bound + calibration.rate("charge_in_comment")
    other_comment_bound = comment_bound + calibration.rate("other_cannabis_in_comment")
    attempt_bound = calibration.rate("attempt")
    conspiracy_bound = attempt_bound + calibration.rate("conspiracy")
    gang_rate = calibration.rate("gang_enhancement")

    con.execute(
        f"""
        create or replace temp table counts as
        with drawn_cycles as (
            select
                cycles.*,
                subjects.scenario_offenses,
                cycles.cycle < cycles.planned_cycle as is_before_planned,
                1 + (draw(cycles.subject, cycle, 0, 'counts2') < 0.35)::int
                    + (draw(cycles.subject, cycle, 0, 'counts3') < 0.10)::int as charged_counts,
                pick(cycles.subject, cycle, 0, 'other_offense', {len(OTHER_OFFENSES)}) + 1
                    as drawn_other_index,
                draw(cycles.subject, cycle, 0, 'spelling') as spelling_draw,
                draw(cycles.subject, cycle, 0, 'gang') as gang_draw,
                draw(cycles.subject, cycle, 0, 'court') < 0.5 as arrest_only_has_court,
            from cycles
            inner join subjects on cycles.subject = subjects.subject
        ),

        per_cycle as (
            select
                *,
                case
                    when is_before_planned and drawn_other_index in {tuple(super_strike_numbers) if len(super_strike_numbers) > 1 else f"({super_strike_numbers[0]})"}
                        then {burglary_number}
                    else drawn_other_index
                end as first_other_index,
                case
                    when spelling_draw < {spelling_bounds[0]} then 'letters_after_number'
                    when spelling_draw < {spelling_bounds[1]} then 'no_space_before_book'
                    when spelling_draw < {spelling_bounds[2]} then 'lower_case_subsection'
                    when spelling_draw < {spelling_bounds[3]} then 'penal_code_miscoding'
                    when spelling_draw < {spelling_bounds[4]} then 'missing_book'
                    else 'canonical'
                end as drawn_spelling,
            from drawn_cycles
        ),

        -- The planned conviction's offense comes from its scenario's list. Spellings that
        -- change the subsection need an offense that has one.
        planned_offenses as (
            select
                subject,
                {_with_subsection_if("scenario_offenses", "drawn_spelling", prop64_subsections)}
                    as candidates,
                candidates[1 + pick(subject, cycle, 1, 'prop64', len(candidates))] as planned_index,
                {prop64_sections}[planned_index] as planned_section,
            from per_cycle
            where kind = 'planned_prop64'
        ),

        -- Before the planned conviction, a gang enhancement is a count of its own beside an
        -- offense it does not make a super strike.
        gang as (
            select
                per_cycle.*,
                planned_offenses.planned_index,
                planned_offenses.planned_section,
                kind = 'other' and {other_tocs}[first_other_index] = 'F'
                    and gang_draw < {gang_rate} as has_gang,
                kind = 'other' and {other_tocs}[first_other_index] = 'F'
                    and (gang_draw < {gang_rate / 2} or (is_before_planned and gang_draw < {gang_rate}))
                    as gang_as_count,
                not is_before_planned as is_gang_pair_allowed,
            from per_cycle
            left join planned_offenses on per_cycle.subject = planned_offenses.subject
        ),

        expanded as (
            select
                *,
                unnest(range(1, charged_counts + gang_as_count::int + 1)) as count_number,
            from gang
        ),

        drawn as (
            select
                *,
                kind in ('planned_prop64', 'cannabis', 'same_section_prior') and count_number = 1
                    as is_prop64,
                -- Two earlier convictions of the planned section are a scenario's to plan; an
                -- earlier cannabis conviction it did not plan has another section.
                case
                    when not (kind in ('planned_prop64', 'cannabis', 'same_section_prior')
                        and count_number = 1) then null
                    when kind = 'planned_prop64' then [planned_index]
                    when kind = 'same_section_prior' then list_filter(
                        range(1, {n_prop64 + 1}), lambda i: {prop64_sections}[i] = planned_section)
                    when is_before_planned then list_filter(
                        range(1, {n_prop64 + 1}), lambda i: {prop64_sections}[i] <> planned_section)
                    else range(1, {n_prop64 + 1})
                end as offense_candidates,
                draw(subject, cycle, count_number, 'offense_quirk') as offense_quirk_draw,
                draw(subject, cycle, count_number, 'prefix') as prefix_draw,
                pick(subject, cycle, count_number, 'other', {len(OTHER_OFFENSES)}) + 1
                    as drawn_other_count_index,
            from expanded
        ),

        offenses as (
            select
                *,
                case
                    when drawn_other_count_index in {tuple(super_strike_numbers) if len(super_strike_numbers) > 1 else f"({super_strike_numbers[0]})"}
                        and is_before_planned then {burglary_number}
                    else drawn_other_count_index
                end as other_index,
                {_with_subsection_if("offense_candidates", "drawn_spelling", prop64_subsections)}
                    as spelled_candidates,
                spelled_candidates[
                    1 + pick(subject, cycle, count_number, 'prop64', len(spelled_candidates))
                ] as prop64_index,
                case
                    when drawn_spelling in ('letters_after_number', 'lower_case_subsection')
                        and {prop64_subsections}[prop64_index] = '' then 'canonical'
                    else drawn_spelling
                end as spelling,
                case
                    when spelling in ('penal_code_miscoding', 'missing_book') then ''
                    when prefix_draw < {attempt_bound} then
                        ['664-', '664/', '664'][1 + pick(subject, cycle, count_number, 'attempt', 3)]
                    when prefix_draw < {conspiracy_bound} then '182-'
                    else ''
                end as prefix,
                case
                    when offense_quirk_draw < {conv_bound} then 'conviction_offense_differs'
                    when offense_quirk_draw < {comment_bound} then 'charge_in_comment'
                    when offense_quirk_draw < {other_comment_bound} then 'other_cannabis_in_comment'
                    else 'none'
                end as offense_quirk,
            from drawn
        ),

        texts as (
            select
                *,
                {prop64_sections}[prop64_index] as section,
                {prop64_subsections}[prop64_index] as subsection,
                {prop64_descriptions}[prop64_index] as description,
                -- Another Prop 64 offense, never the same one: for a plea or a comment.
                1 + (prop64_index + pick(subject, cycle, count_number, 'shift', {n_prop64 - 1}))
                    % {n_prop64} as second_prop64_index,
            from offenses
        ),

        final as (
            select
                subject,
                cycle,
                count_number,
                kind,
                county_name,
                cycle_date,
                court_date,
                is_prop64,
                -- The Prop 64 section of conviction as the law reads it, whatever its spelling:
                -- the answer key decides from these, not from the text written.
                case when is_prop64 then section end as prop64_section,
                case when is_prop64 then lower(subsection) end as prop64_subsection,
                case when is_prop64 then spelling else null end as spelling,
                case when is_prop64 then prefix else null end as prefix,
                case when is_prop64 then offense_quirk else null end as offense_quirk,
                has_gang and not gang_as_count and count_number = 1 as gang_inline,
                -- Count 1 of a gang case is an offense that the enhancement makes a super strike.
                has_gang and is_gang_pair_allowed and count_number = 1 as is_gang_pair,
                registered_by,
                is_planned_prior,
                gang_as_count and count_number = charged_counts + 1 as gang_count,
                case
                    when is_prop64 then case spelling
                        when 'letters_after_number' then prefix || section
                            || replace(replace(subsection, '(', ''), ')', '') || ' HS-' || description
                        when 'no_space_before_book' then prefix || section || subsection || 'HS-' || description
                        when 'lower_case_subsection' then prefix || section || lower(subsection) || ' HS-' || description
                        when 'penal_code_miscoding' then section || subsection || ' PC-' || description
                        when 'missing_book' then section || subsection || ' ' || description
                        else prefix || section || subsection || ' HS-' || description
                    end
                    when kind = 'pc290' and count_number = 1 then {quote(PC290_CONVICTION[0])}
                    when gang_as_count and count_number = charged_counts + 1
                        then {quote(GANG_ENHANCEMENT_COUNT)}
                    when kind = 'super_strike' and count_number = 1 then {quote(SUPER_STRIKES[0])}
                    when gang_as_count and is_gang_pair_allowed and count_number = 1
                        then {quote(GANG_PAIR_OFFENSE)}
                    when has_gang and not gang_as_count and count_number = 1
                        then {quote(GANG_ENHANCEMENT_INLINE)}
                    when count_number = 1 then {other_texts}[first_other_index]
                    else {other_texts}[other_index]
                end as offense_text,
                {prop64_sections}[second_prop64_index] || {prop64_subsections}[second_prop64_index]
                    || ' HS-' || {prop64_descriptions}[second_prop64_index] as second_prop64_text,
                case
                    when is_prop64 then {prop64_tocs}[prop64_index]
                    when kind = 'pc290' and count_number = 1 then {quote(PC290_CONVICTION[1])}
                    when kind = 'super_strike' and count_number = 1 then 'F'
                    when gang_as_count and count_number = charged_counts + 1 then 'F'
                    when count_number = 1 then {other_tocs}[first_other_index]
                    else {other_tocs}[other_index]
                end as offense_toc,
                kind <> 'arrest_only' or arrest_only_has_court as has_court,
                kind <> 'arrest_only' and (
                    count_number = 1
                    or (gang_as_count and count_number = charged_counts + 1)
                    or draw(subject, cycle, count_number, 'convicted') < 0.4
                ) as convicted,
            from texts
        )

        select * from final
        """
    )
