"""Plain-English descriptions of the policy rules that leave a conviction without relief.

The dashboards name rules by these descriptions, not by their ids. Each one restates the rule's
condition as `docs/eligibility.md` documents it; a rule missing here is shown by the reason its
policy records.
"""

from __future__ import annotations

# The determination that denies relief; every other determination without relief sends the
# conviction to a person for review.
NOT_ELIGIBLE = "Not eligible"

RULE_DESCRIPTIONS = {
    # Not eligible.
    "sentenced_after_prop64": "Decided on or after 9 Nov 2016, when Prop 64 took effect",
    "disposition_after_prop64": "Decided on or after 9 Nov 2016, when Prop 64 took effect",
    "conduct_after_prop64": "Conduct on or after 9 Nov 2016, when Prop 64 took effect",
    "effective_date": "Conduct on or after 9 Nov 2016, when Prop 64 took effect",
    "prior_super_strike": "An earlier super strike conviction",
    "super_strike": "An earlier super strike conviction",
    "prior_pc290": "An earlier PC 290 sex offense or registration",
    "pc290": "An earlier PC 290 sex offense or registration",
    "two_prior_cycles": "Convictions of the same section in two or more earlier arrest cycles",
    "two_priors": "Two or more earlier convictions of the same section, in other cases",
    "same_offense": "Still the same offense under current law",
    "no_relief": "No relief option of the policy applies",
    # Sent for review.
    "not_felony": "A misdemeanor or infraction, sent to the city attorneys",
    "other_11357": "Possession (HS 11357) other than subsection (a) or (b)",
    "serving_sentence": "Still serving a sentence",
    "no_criteria": "No rule of the policy applies",
    "no_rule": "No rule of the policy applies",
    "possible_disqualifier": "A possible disqualifying earlier conviction",
    "amount_not_in_record": "Lawful within adult limits, but the amount is not in the record",
    "subsection_not_in_record": "The subsection is not in the record",
}


# The reason of a conviction sent to review because a fact a rule needs is missing.
MISSING_FACT = "Missing fact: "


def describe_rule(rule_id: str, reason: str) -> str:
    """Return the plain-English description of a rule, or the reason its policy records.

    A rule that could not be ruled out for a missing fact sends the conviction to review
    whatever it decides otherwise, so the description names the missing fact.
    """
    description = RULE_DESCRIPTIONS.get(rule_id, reason)
    if reason.startswith(MISSING_FACT) and description != reason:
        fact = reason.removeprefix(MISSING_FACT)
        return f"{description}: could not be checked, {fact} missing"
    return description
