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

__all__ = [
    "Application", "ApplicationPriority", "ApplicationStatus", "Attachment", "BudgetCategory",
    "BudgetLine", "Call", "CallPriority", "CallStatus", "ClarificationQuestion", "DocumentKind",
    "Membership", "Organisation", "OrganisationStatus", "Service",
]
