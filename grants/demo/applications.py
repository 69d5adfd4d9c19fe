"""Demo applications on the open call 8: drafted, documents attached and (some) submitted
through the real services, as the NGO users would."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from fundapp.accounts.models import User
from grants.models import Application, Call, DocumentKind, Organisation
from grants.services.applications import (
    application_create,
    application_submit,
    attachment_add,
)


@dataclass(frozen=True)
class DemoApplication:
    ngo: str
    title: str
    summary: str
    countries: list
    budget: list  # (category, description, amount)
    months: int
    services: list
    beneficiaries: dict
    priorities: dict  # code -> justification
    submit: bool
    documents: tuple = (DocumentKind.REGISTRATION_CERTIFICATE, DocumentKind.PROJECT_BUDGET)


OPEN_APPLICATIONS = [
    DemoApplication(
        "ngo1", "Safe shelter and legal aid for women and girls trafficked from conflict areas",
        "Emergency shelter, medical care, legal representation and family tracing for women "
        "and girls identified in Lagos and Benin City after trafficking from the north-east.",
        ["NG"], [("shelter", "Shelter running costs, 24 months", "22000"),
                 ("personnel", "Two social workers and a lawyer (part time)", "18000"),
                 ("direct_assistance", "Medical care and transport for survivors", "9000"),
                 ("monitoring", "Case follow-up and final evaluation", "3000")],
        24, ["shelter", "legal", "medical", "psychological"],
        {"women": 120, "girls": 80},
        {"women-girls": "All 200 beneficiaries are women and girls referred by NAPTIP.",
         "armed-conflict": "Most were recruited in camps for people displaced by the "
                           "conflict in Borno State."},
        submit=True),
    DemoApplication(
        "ngo1", "Economic reintegration of survivors through vocational training",
        "Vocational training, start-up kits and mentoring for survivors leaving our shelter.",
        ["NG"], [], 12, ["reintegration"], {"women": 60},
        {}, submit=False, documents=(DocumentKind.REGISTRATION_CERTIFICATE,)),
    DemoApplication(
        "ngo2", "Réinsertion des enfants victimes de la traite dans les plantations de cacao",
        "Identification, prise en charge psychologique et retour en famille d'enfants "
        "exploités dans les plantations de l'ouest du pays.",
        ["CI"], [("direct_assistance", "Prise en charge des enfants", "30000")],
        18, ["identification", "psychological", "reintegration"], {"girls": 40, "boys": 55},
        {"underserved": "Les enfants des zones rurales éloignées ne reçoivent aucune aide."},
        submit=False, documents=()),
    DemoApplication(
        "ngo3", "Case management and safe accommodation for displaced women at risk",
        "A hotline, mobile case managers and three safe apartments for internally displaced "
        "women and girls exposed to exploitation in central and eastern Ukraine.",
        ["UA", "MD"], [("personnel", "Case managers and hotline operators", "26000"),
                       ("shelter", "Safe apartments", "21000"),
                       ("direct_assistance", "Emergency cash and medical care", "10000")],
        24, ["identification", "shelter", "psychological", "legal"],
        {"women": 210, "girls": 45},
        {"armed-conflict": "The project works in oblasts near the front line.",
         "mass-movements": "Beneficiaries are internally displaced or returning refugees.",
         "women-girls": "Only women and girls are accommodated."},
        submit=True),
    DemoApplication(
        "ngo4", "Legal and psychosocial aid for survivors on the Colombia-Venezuela border",
        "Legal orientation, regularisation support and trauma counselling for migrant and "
        "refugee survivors of trafficking in Norte de Santander.",
        ["CO"], [("personnel", "Two lawyers and a psychologist", "28000"),
                 ("direct_assistance", "Transport, documents and emergency kits", "12000"),
                 ("training", "Training of border officials on identification", "5000")],
        18, ["legal", "psychological", "identification"],
        {"women": 90, "girls": 30, "men": 40, "boys": 15},
        {"mass-movements": "Survivors are part of the mixed migration flows from Venezuela."},
        submit=True),
    DemoApplication(
        "ngo5", "Support to survivors displaced by river erosion and cyclones",
        "Identification and assistance for survivors of trafficking from coastal districts "
        "where families lost their land to cyclones and river erosion.",
        ["BD"], [("direct_assistance", "Medical and psychosocial care", "15000"),
                 ("personnel", "Outreach workers", "14000"),
                 ("other", "Livelihood grants for survivors", "9000")],
        24, ["identification", "medical", "reintegration"],
        {"women": 70, "girls": 40, "men": 35, "boys": 20},
        {"climate-displacement": "All target districts are classified as climate hot spots.",
         "underserved": "No other service provider works in these islands (chars)."},
        submit=True),
    DemoApplication(
        "ngo5", "Helpline for migrant workers returning from the Gulf",
        "A helpline and airport desk for returning migrant workers who report exploitation.",
        ["BD"], [("personnel", "Helpline staff", "20000")], 12, ["identification"],
        {"women": 50, "men": 120}, {}, submit=False, documents=()),
    DemoApplication(
        "ngo6", "Identification and shelter for trafficked fishers and their families",
        "Joint identification visits in ports, shelter and repatriation support for fishers "
        "from Cambodia and Myanmar, and care for their families.",
        ["TH"], [("direct_assistance", "Shelter, food and medical care", "24000"),
                 ("personnel", "Interpreters and case workers", "20000"),
                 ("travel", "Port visits and repatriation travel", "8000")],
        24, ["identification", "shelter", "medical", "legal"],
        {"men": 150, "boys": 20, "women": 30, "girls": 10},
        {"underserved": "Migrant fishers are rarely identified as victims.",
         "mass-movements": "Most beneficiaries fled the collapse of public order in Myanmar."},
        submit=True),
    DemoApplication(
        "ngo7", "Reintegration of women refugees from Ukraine exploited in Moldova",
        "", ["MD"], [], 12, ["reintegration"], {}, {}, submit=False, documents=()),
]


def open_applications(call: Call, ngos: dict[str, User], created: list[str]) -> None:
    for spec in OPEN_APPLICATIONS:
        _open_application(spec, call, ngos[spec.ngo], created)


def _open_application(spec: DemoApplication, call: Call, actor: User,
                      created: list[str]) -> None:
    org = actor.membership.organisation
    if Application.objects.filter(call=call, organisation=org, title=spec.title).exists():
        return
    if not call.is_accepting_submissions():
        return
    app = application_create(actor=actor, call=call, values=_values(spec, call))
    for kind in spec.documents:
        attachment_add(actor=actor, application=app, kind=kind,
                       uploaded=_pdf(spec, org, kind))
    if spec.submit:
        app = application_submit(actor=actor, application=app)
    created.append(f"application {app.reference or 'draft'}: {spec.title[:50]}")


def _values(spec: DemoApplication, call: Call) -> dict:
    lines = [{"category": c, "description": d, "amount": Decimal(a)}
             for c, d, a in spec.budget]
    values = {
        "title": spec.title, "summary": spec.summary, "countries": spec.countries,
        "duration_months": spec.months, "services": spec.services,
        "beneficiaries": spec.beneficiaries, "priorities": spec.priorities,
        "start_date": call.closes_at.date() + timedelta(days=90),
    }
    if lines:
        values["budget_lines"] = lines
        values["requested_usd"] = sum((line["amount"] for line in lines), Decimal("0"))
    return values


def _pdf(spec: DemoApplication, org: Organisation, kind: str) -> SimpleUploadedFile:
    label = DocumentKind(kind).label
    lines = [str(label), org.name, f"Registration number {org.registration_number}",
             spec.title, "Demo document generated by FundApp's seed_demo command."]
    lines += [f"{d}: USD {a}" for _c, d, a in spec.budget] if kind == "project_budget" else []
    return SimpleUploadedFile(f"{kind.replace('_', '-')}.pdf", demo_pdf(lines),
                              content_type="application/pdf")


# --- Files ----------------------------------------------------------------------------

def demo_pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF with the given lines (ASCII) in Helvetica."""

    def esc(text: str) -> str:
        safe = text.encode("ascii", "replace").decode()
        return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = " ".join(f"({esc(line)}) Tj T*" for line in lines)
    stream = f"BT /F1 11 Tf 56 780 Td 15 TL {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
