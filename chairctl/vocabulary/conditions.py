"""The health conditions a person can declare: the words shared by profiles (what a person
says), the screening (what it means for a session) and programs (whom a program is not for).

Sources: docs/sources.md sections 4.2, 4.3 and 5.2; a bare section number below is one of its.
"""

from __future__ import annotations

from enum import StrEnum


class Condition(StrEnum):
    """A health condition a person can declare; the values are the spellings in profile files.

    Grouped by tier as a reading aid; the tiers and caps that count are the table in
    :mod:`chairctl.safety.screening`.
    """

    # Tier "block" (docs/sources.md section 5.2): no massage, or not at the site.
    VERTEBRAL_FRACTURE = "vertebral-fracture"
    RECENT_FRACTURE = "recent-fracture"
    SPINAL_TUMOUR = "spinal-tumour"
    MALIGNANCY_AT_SITE = "malignancy-at-site"
    #: Cancer that has spread to bone (NCCIH via 4.2: bones weakened by cancer).
    CANCER_SPREAD_TO_BONE = "cancer-spread-to-bone"
    HERNIATED_DISC = "herniated-disc"
    DEEP_VEIN_THROMBOSIS = "deep-vein-thrombosis"
    #: A swollen, painful, warm calf now: a clot is suspected (JHHA via 4.2: "or suspected").
    CLOT_SYMPTOMS_NOW = "clot-symptoms-now"
    THROMBOSIS_OR_EMBOLISM = "thrombosis-or-embolism"
    ANEURYSM = "aneurysm"
    PHLEBITIS = "phlebitis"
    SKIN_INFECTION_AT_SITE = "skin-infection-at-site"
    #: An open or healing wound, a fresh scar or irradiated skin (NCCIH via 4.2: locally avoid).
    WOUND_SCAR_OR_IRRADIATED_SKIN = "wound-scar-or-irradiated-skin"
    FEVER = "fever"
    ACUTE_STRAIN = "acute-strain"
    RECENT_SURGERY = "recent-surgery"
    #: Unable to stop the chair or say so by themselves (Panasonic via 4.2: do not use).
    CANNOT_OPERATE_ALONE = "cannot-operate-alone"
    # Tier "clinician_cleared": only with a clinician's clearance, and then with caps.
    OSTEOPOROSIS = "osteoporosis"
    PACEMAKER_OR_IMPLANT = "pacemaker-or-implant"
    PREGNANCY = "pregnancy"
    HEART_DISEASE = "heart-disease"
    MALIGNANCY_ELSEWHERE = "malignancy-elsewhere"
    ANTICOAGULANTS = "anticoagulants"
    BLEEDING_DISORDER = "bleeding-disorder"
    UNCONTROLLED_HYPERTENSION = "uncontrolled-hypertension"
    SPINAL_ABNORMALITY = "spinal-abnormality"
    #: Acute varicose veins, or a circulatory disorder of the legs or pelvis (Panasonic, PMDA).
    VARICOSE_VEINS = "varicose-veins"
    #: Ankylosing spondylitis (a neck fracture in undiagnosed AS, ABMP case reports via 3.3).
    ANKYLOSING_SPONDYLITIS = "ankylosing-spondylitis"
    #: Spinal surgery at any time: fusion, rods, disc replacement (catalogue articles via 4.2).
    SPINAL_SURGERY = "spinal-surgery"
    # Tier "cautions": automatic caps.
    SPINAL_OSTEOARTHRITIS = "spinal-osteoarthritis"
    FIBROMYALGIA = "fibromyalgia"
    DIABETES = "diabetes"
    NEUROPATHY = "neuropathy"
    LOSS_OF_TEMPERATURE_SENSATION = "loss-of-temperature-sensation"
    NEEDS_SUPERVISION = "needs-supervision"
    #: Neck problems, dizziness or vertigo (Spa Dynamix manual via 4.2; neck injuries, 3.3/3.4).
    NECK_PROBLEMS_OR_DIZZINESS = "neck-problems-or-dizziness"
