"""Offense catalogs the generator draws from: Prop 64 sections in parts, other offenses whole."""

from __future__ import annotations

# (section number, subsection, description, type of charge). The parts are kept apart so that
# the generator can write each section in the spellings found in real extracts.
PROP64_OFFENSES: tuple[tuple[str, str, str, str], ...] = (
    ("11357", "(A)", "POSSESS CONCENTRATED CANNABIS", "F"),
    ("11357", "(B)", "POSSESS MARIJUANA 28.5 GRAMS OR LESS", "M"),
    ("11357", "(C)", "POSSESS MARIJUANA OVER 28.5 GRAMS", "M"),
    ("11358", "", "CULTIVATE MARIJUANA", "F"),
    ("11359", "", "POSSESS MARIJUANA FOR SALE", "F"),
    ("11360", "(A)", "TRANSPORT/SELL MARIJUANA", "F"),
    ("11360", "(B)", "GIVE AWAY MARIJUANA 28.5 GRAMS OR LESS", "M"),
)

# Offense text and type of charge. None of them is a Prop 64 section; 187 and 664/187 are super
# strikes, so some histories carry one.
OTHER_OFFENSES: tuple[tuple[str, str], ...] = (
    ("459 PC-BURGLARY", "F"),
    ("484(A)/490.5 PC-PETTY THEFT", "M"),
    ("23152(A) VC-DUI ALCOHOL/DRUGS", "M"),
    ("11350(A) HS-POSSESS NARCOTIC CONTROLLED SUBSTANCE", "F"),
    ("11377(A) HS-POSSESS CONTROLLED SUBSTANCE", "M"),
    ("11364 HS-POSSESS CONTROLLED SUBSTANCE PARAPHERNALIA", "M"),
    ("11357.5 HS-POSSESS SYNTHETIC CANNABINOID", "M"),
    ("647(F) PC-DISORDERLY CONDUCT:INTOX", "M"),
    ("245(A)(1) PC-ASSAULT WITH DEADLY WEAPON", "F"),
    ("211 PC-ROBBERY", "F"),
    ("273.5(A) PC-INFLICT CORPORAL INJURY ON SPOUSE", "F"),
    ("12500(A) VC-DRIVE WITHOUT LICENSE", "M"),
    ("10851(A) VC-TAKE VEHICLE WITHOUT OWNER CONSENT", "F"),
    ("496(A) PC-RECEIVE KNOWN STOLEN PROPERTY", "F"),
    ("148(A)(1) PC-OBSTRUCT/RESIST PUBLIC OFFICER", "M"),
    ("237 PC-FALSE IMPRISONMENT", "F"),
    ("187 PC-MURDER", "F"),
    ("664/187 PC-ATTEMPTED MURDER", "F"),
)

# A conviction that requires PC 290 registration without being a super strike.
PC290_CONVICTION = ("314.1 PC-INDECENT EXPOSURE", "M")
PC290_REGISTRATION = "290 PC-REGISTRATION OF SEX OFFENDER"

GANG_ENHANCEMENT_COUNT = "186.22(B)(4) PC-CRIMINAL STREET GANG ENHANCEMENT"
GANG_ENHANCEMENT_INLINE = "136.1 186.22(B)(4) PC-DISSUADE WITNESS FOR STREET GANG"
# Count 1 of a case whose enhancement is a count of its own: with it, a super strike.
GANG_PAIR_OFFENSE = "136.1(A)(1) PC-DISSUADE WITNESS FROM TESTIFYING"

# Offenses above that are super strikes (PC 667(e)(2)(C)(iv)). The statute names attempts too;
# the 2019 Los Angeles list did not.
SUPER_STRIKES = ("187 PC-MURDER",)
ATTEMPTED_SUPER_STRIKES = ("664/187 PC-ATTEMPTED MURDER",)
