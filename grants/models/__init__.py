from .applications import (
    Application,
    ApplicationPriority,
    ApplicationStatus,
    Attachment,
    BudgetCategory,
    BudgetLine,
    Service,
)
from .calls import Call, CallPriority, CallStatus, ClarificationQuestion, DocumentKind
from .organisations import Membership, Organisation, OrganisationStatus
from .portfolio import PortfolioItem, PortfolioRecommendation
from .reviews import (
    Review,
    ReviewCriterion,
    ReviewerProfile,
    ReviewScore,
    ReviewStatus,
)
from .screening import (
    CheckCode,
    MatchSubject,
    SanctionsEntry,
    SanctionsEntryKind,
    SanctionsList,
    SanctionsMatch,
    Screening,
    ScreeningDecision,
)

__all__ = [
    "Application", "ApplicationPriority", "ApplicationStatus", "Attachment", "BudgetCategory",
    "BudgetLine", "Call", "CallPriority", "CallStatus", "CheckCode", "ClarificationQuestion",
    "DocumentKind", "MatchSubject", "Membership", "Organisation", "OrganisationStatus",
    "PortfolioItem", "PortfolioRecommendation",
    "Review", "ReviewCriterion", "ReviewScore", "ReviewStatus", "ReviewerProfile",
    "SanctionsEntry", "SanctionsEntryKind", "SanctionsList", "SanctionsMatch", "Screening",
    "ScreeningDecision", "Service",
]
