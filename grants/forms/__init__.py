"""Web forms: they check shapes (types, lengths, two decimals, known choices) only.

Rules that depend on state (the call's limits, the deadline, verification) live in
``grants.services`` and come back as ``FundError`` field errors.

One module per sub-domain, as in ``grants/views``; this package re-exports every public form
so ``from grants.forms import X`` works. Two forms share the name ``CloseForm`` (closing a
board session, closing a grant): import them from ``grants.forms.board`` and
``grants.forms.implementation``.
"""

from .applications import (
    BENEFICIARY_GROUPS,
    BUDGET_PREFIX,
    ApplicationFilterForm,
    ApplicationForm,
    AttachmentForm,
    BaseBudgetLineFormSet,
    BudgetLineForm,
    BudgetLineFormSet,
    WithdrawForm,
    budget_formset,
)
from .board import (
    CancelForm,
    ChairAmountForm,
    MembershipForm,
    ReserveOfferForm,
    SessionForm,
    TermEndForm,
    TrancheForm,
    TrancheFormSet,
    VoteForm,
)
from .calls import (
    AnswerForm,
    CallForm,
    CallManageFilterForm,
    PriorityForm,
    PriorityFormSet,
    QuestionForm,
    priority_values,
)
from .common import MAX_USD, RemovableFormSet, datetime_input, money_field
from .implementation import (
    BankForm,
    DeclineForm,
    PaymentForm,
    ReportForm,
    ReviewForm,
    SignForm,
)
from .organisations import OrganisationFilterForm, OrganisationForm, VerifyForm
from .ranking import FinaliseForm, RankingSettingsForm
from .reviews import (
    AssignForm,
    AutoAssignForm,
    CriterionForm,
    CriterionFormSet,
    DeclareForm,
    ProfileForm,
    ScoreForm,
)
from .screening import (
    ClearMatchForm,
    DecisionForm,
    PrioritiesForm,
    QueueFilterForm,
    SanctionsUploadForm,
)

__all__ = [
    # shared
    "MAX_USD", "RemovableFormSet", "datetime_input", "money_field",
    # calls
    "AnswerForm", "CallForm", "CallManageFilterForm", "PriorityForm", "PriorityFormSet",
    "QuestionForm", "priority_values",
    # organisations
    "OrganisationFilterForm", "OrganisationForm", "VerifyForm",
    # applications
    "BENEFICIARY_GROUPS", "BUDGET_PREFIX", "ApplicationFilterForm", "ApplicationForm",
    "AttachmentForm", "BaseBudgetLineFormSet", "BudgetLineForm", "BudgetLineFormSet",
    "WithdrawForm", "budget_formset",
    # screening
    "ClearMatchForm", "DecisionForm", "PrioritiesForm", "QueueFilterForm",
    "SanctionsUploadForm",
    # reviews
    "AssignForm", "AutoAssignForm", "CriterionForm", "CriterionFormSet", "DeclareForm",
    "ProfileForm", "ScoreForm",
    # ranking
    "FinaliseForm", "RankingSettingsForm",
    # board (its CloseForm: grants.forms.board)
    "CancelForm", "ChairAmountForm", "MembershipForm", "ReserveOfferForm", "SessionForm",
    "TermEndForm", "TrancheForm", "TrancheFormSet", "VoteForm",
    # implementation (its CloseForm: grants.forms.implementation)
    "BankForm", "DeclineForm", "PaymentForm", "ReportForm", "ReviewForm", "SignForm",
]
