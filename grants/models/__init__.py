from .applications import (
    Application,
    ApplicationPriority,
    ApplicationStatus,
    Attachment,
    BudgetCategory,
    BudgetLine,
    Service,
)
from .awards import Grant, GrantStatus, ReportDue, ReportKind, Tranche, TrancheCondition
from .board import (
    BallotDraft,
    AgendaItem,
    BoardMembership,
    BoardRole,
    BoardSession,
    Decision,
    SessionKind,
    SessionStatus,
    Vote,
    VoteChoice,
)
from .calls import Call, CallPriority, CallStatus, ClarificationQuestion, DocumentKind
from .implementation import (
    AgreementSignature,
    BankDetails,
    Disbursement,
    ExpenditureLine,
    GrantClosure,
    Indicator,
    IndicatorDimension,
    ProgressReport,
    ReportStatus,
    UnspentTreatment,
    VictimGroup,
)
from .amendments import AgreementVersion, Amendment, AmendmentKind, AmendmentStatus
from .information import DeadlineExtension, InformationRequest
from .invitations import Invitation
from .messages import Message, MessageAttachment, ThreadRead
from .refunds import Refund
from .organisations import Membership, Organisation, OrganisationStatus, OrgRole
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
    "AgendaItem", "BoardMembership", "BoardRole", "BoardSession", "Decision", "Grant",
    "GrantStatus", "ReportDue", "ReportKind", "SessionKind", "SessionStatus", "Tranche",
    "TrancheCondition", "Vote", "VoteChoice",
    "Application", "ApplicationPriority", "ApplicationStatus", "Attachment", "BudgetCategory",
    "BudgetLine", "Call", "CallPriority", "CallStatus", "CheckCode", "ClarificationQuestion",
    "DocumentKind", "Invitation", "MatchSubject", "Membership", "Organisation",
    "OrganisationStatus", "OrgRole",
    "PortfolioItem", "PortfolioRecommendation",
    "Review", "ReviewCriterion", "ReviewScore", "ReviewStatus", "ReviewerProfile",
    "SanctionsEntry", "SanctionsEntryKind", "SanctionsList", "SanctionsMatch", "Screening",
    "ScreeningDecision", "Service",
    "AgreementSignature", "BankDetails", "Disbursement", "ExpenditureLine", "GrantClosure",
    "Indicator", "IndicatorDimension", "ProgressReport", "ReportStatus", "UnspentTreatment",
    "VictimGroup",
    "AgreementVersion", "Amendment", "AmendmentKind", "AmendmentStatus", "DeadlineExtension",
    "InformationRequest", "Message", "MessageAttachment", "Refund", "ThreadRead",
    "BallotDraft",
]
