"""The health conditions a person can declare: the words shared by profiles (what a person
says), the screening (what it means for a session) and programs (whom a program is not for).

Sources: reference/chair-domain.md sections 4.2, 4.3 and 5.2.
"""

from __future__ import annotations

from enum import StrEnum


class Condition(StrEnum):
    """A health condition a person can declare; the values are the spellings in profile files."""

    # Tier "block" (reference/chair-domain.md 5.2): no massage, or not at the site.
    VERTEBRAL_FRACTURE = "vertebral-fracture"
    RECENT_FRACTURE = "recent-fracture"
    SPINAL_TUMOUR = "spinal-tumour"
    MALIGNANCY_AT_SITE = "malignancy-at-site"
    HERNIATED_DISC = "herniated-disc"
    DEEP_VEIN_THROMBOSIS = "deep-vein-thrombosis"
    THROMBOSIS_OR_EMBOLISM = "thrombosis-or-embolism"
    ANEURYSM = "aneurysm"
    PHLEBITIS = "phlebitis"
    SKIN_INFECTION_AT_SITE = "skin-infection-at-site"
    FEVER = "fever"
    ACUTE_STRAIN = "acute-strain"
    RECENT_SURGERY = "recent-surgery"
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
    # Tier "cautions": automatic caps.
    SPINAL_OSTEOARTHRITIS = "spinal-osteoarthritis"
    FIBROMYALGIA = "fibromyalgia"
    DIABETES = "diabetes"
    NEUROPATHY = "neuropathy"
    LOSS_OF_TEMPERATURE_SENSATION = "loss-of-temperature-sensation"
    NEEDS_SUPERVISION = "needs-supervision"
    # Added for issue 16 (their tiers and caps are chairctl.safety.screening's).
    VARICOSE_VEINS = "varicose-veins"
    WOUND_SCAR_OR_IRRADIATED_SKIN = "wound-scar-or-irradiated-skin"
    CANCER_SPREAD_TO_BONE = "cancer-spread-to-bone"
    CLOT_SYMPTOMS_NOW = "clot-symptoms-now"
    NECK_PROBLEMS_OR_DIZZINESS = "neck-problems-or-dizziness"
    ANKYLOSING_SPONDYLITIS = "ankylosing-spondylitis"
    CANNOT_OPERATE_ALONE = "cannot-operate-alone"
    SPINAL_SURGERY = "spinal-surgery"
