"""factory_boy factories shared by the whole suite."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fundapp.accounts.models import User
from fundapp.accounts.roles import Role, grant_role
from grants.models import (
    Application,
    ApplicationPriority,
    BudgetLine,
    Call,
    CallPriority,
    CallStatus,
    DocumentKind,
    Membership,
    Organisation,
    OrganisationStatus,
)

PASSWORD = "correct-horse-battery-staple"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    email_verified = True
    language = "en"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            grant_role(self, role)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Safe Passage Network {n}")
    country = "NG"
    registration_number = factory.Sequence(lambda n: f"RC-{100000 + n}")
    year_founded = 2005
    contact_email = factory.Sequence(lambda n: f"contact{n}@ngo.example.org")
    annual_budget_usd = Decimal("250000.00")
    psea_declaration = True
    status = OrganisationStatus.VERIFIED


def ngo_user(organisation=None, org_role="admin", **kwargs) -> User:
    user = UserFactory(roles=[Role.NGO], **kwargs)
    Membership.objects.create(user=user, organisation=organisation or OrganisationFactory(),
                              role=org_role)
    return user


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: 100 + n)
    title_en = factory.LazyAttribute(lambda c: f"Call for proposals no. {c.number}")
    title_fr = factory.LazyAttribute(lambda c: f"Appel à propositions no {c.number}")
    description_en = "Direct assistance to victims of trafficking."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    envelope_usd = Decimal("1000000.00")
    min_grant_usd = Decimal("20000.00")
    max_grant_usd = Decimal("60000.00")
    max_duration_months = 24
    required_documents = [DocumentKind.REGISTRATION_CERTIFICATE]
    status = CallStatus.PUBLISHED

    @factory.post_generation
    def priorities(self, create, extracted, **kwargs):
        if not create:
            return
        specs = extracted if extracted is not None else [
            ("armed-conflict", "Victims of armed conflict", Decimal("1")),
            ("women-girls", "Women and girls", Decimal("2")),
        ]
        for i, (code, name, weight) in enumerate(specs):
            CallPriority.objects.create(call=self, code=code, name_en=name, weight=weight,
                                        position=i)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Shelter and legal aid project {n}")
    summary = "Safe shelter, legal aid and reintegration for survivors."
    countries = ["NG"]
    requested_usd = Decimal("50000.00")
    duration_months = 12
    start_date = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=90)).date())
    beneficiaries_women = 40
    beneficiaries_girls = 25
    services = ["shelter", "legal"]


def complete_application(**kwargs) -> Application:
    """A draft with every piece needed to submit."""
    app = ApplicationFactory(**kwargs)
    BudgetLine.objects.create(application=app, category="direct_assistance",
                              amount=Decimal("30000.00"), description="Shelter costs")
    BudgetLine.objects.create(application=app, category="personnel",
                              amount=app.requested_usd - Decimal("30000.00"),
                              description="Social workers")
    priority = app.call.priorities.first()
    ApplicationPriority.objects.create(application=app, priority=priority,
                                       justification="Most of our clients fled conflict.")
    for kind in app.call.required_documents:
        attach(app, kind)
    return app


def attach(app: Application, kind: str = DocumentKind.REGISTRATION_CERTIFICATE):
    from grants.models import Attachment

    upload = SimpleUploadedFile("certificate.pdf", PDF_BYTES, content_type="application/pdf")
    att = Attachment(application=app, kind=kind, original_name="certificate.pdf",
                     content_type="application/pdf", size=len(PDF_BYTES), sha256="0" * 64)
    att.file.save("upload", upload, save=False)
    att.save()
    return att
