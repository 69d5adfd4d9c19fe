from .contributions import (
    Contribution,
    ContributionImport,
    DonorTotal,
    DonorYearTotal,
    Earmarking,
    RateSource,
    ReceiptSequence,
    Theme,
)
from .donors import ANONYMOUS_NAME, Donor, DonorType, public_name
from .pledges import Pledge, PledgeStatus
from .rates import ExchangeRate
from .targets import DEFAULT_TARGET_USD, MILESTONES, AnnualTarget, TargetMilestone

__all__ = [
    "ANONYMOUS_NAME", "DEFAULT_TARGET_USD", "MILESTONES", "AnnualTarget", "Contribution",
    "ContributionImport", "Donor", "DonorTotal", "DonorType", "DonorYearTotal", "Earmarking",
    "ExchangeRate", "Pledge", "PledgeStatus", "RateSource", "ReceiptSequence",
    "TargetMilestone", "Theme", "public_name",
]
