import pytest
from django.utils import timezone

from grants.models import ClarificationQuestion
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db


def questions_url(call) -> str:
    return f"/api/v1/calls/{call.pk}/questions/"


@pytest.fixture
def answered(open_call, ngo):
    return ClarificationQuestion.objects.create(
        call=open_call, asked_by=ngo, question="Are co-financed projects eligible?",
        answer="Yes.", published_at=timezone.now())


@pytest.fixture
def pending(open_call, ngo):
    return ClarificationQuestion.objects.create(call=open_call, asked_by=ngo,
                                                question="Can we apply twice?")


@pytest.mark.parametrize("role,sees_pending", [
    ("anonymous", False), ("ngo", True), ("other_ngo", False), ("secretariat", True),
    ("reviewer", False), ("board_member", False), ("donor", False),
])
def test_everyone_reads_published_answers_and_only_the_asker_and_secretariat_see_pending(
        client_for, everyone, open_call, answered, pending, role, sees_pending):
    response = client_for(role).get(questions_url(open_call))
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == ({answered.pk, pending.pk} if sees_pending else {answered.pk})


def test_a_published_answer_shows_question_and_answer(api, open_call, answered):
    row = api.get(questions_url(open_call)).json()["results"][0]
    assert (row["question"], row["answer"], row["is_published"]) == (
        "Are co-financed projects eligible?", "Yes.", True)


def test_questions_on_a_draft_call_are_404_outside_the_secretariat(client_for, ngo, draft_call):
    assert client_for("ngo").get(questions_url(draft_call)).status_code == 404


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("ngo", 201), ("other_ngo", 201), ("secretariat", 403),
    ("reviewer", 403), ("board_member", 403), ("donor", 403),
])
def test_only_ngo_users_ask_questions(client_for, everyone, open_call, role, expected):
    response = client_for(role).post(questions_url(open_call), {"question": "Budget format?"},
                                     format="json")
    assert response.status_code == expected
    assert ClarificationQuestion.objects.filter(call=open_call).count() == (
        1 if expected == 201 else 0)


def test_a_question_after_the_deadline_is_a_conflict(client_for, ngo, past_deadline_call):
    response = client_for("ngo").post(questions_url(past_deadline_call),
                                      {"question": "Too late?"}, format="json")
    assert response.status_code == 409
    assert "open" in response.json()["detail"]


@pytest.mark.parametrize("question,words", [("", "blank"), ("   ", "blank"),
                                            ("?" * 4001, "4000 characters")])
def test_an_empty_or_overlong_question_is_a_400(client_for, ngo, open_call, question, words):
    response = client_for("ngo").post(questions_url(open_call), {"question": question},
                                      format="json")
    assert response.status_code == 400
    assert words in str(response.json()["question"])


def test_the_secretariat_answers_and_publishes(client_for, secretariat, open_call, pending):
    response = client_for("secretariat").post(
        f"{questions_url(open_call)}{pending.pk}/answer/", {"answer": "No, once per call."},
        format="json")
    assert response.status_code == 200
    assert response.json()["is_published"] is True
    pending.refresh_from_db()
    assert pending.answer == "No, once per call." and pending.published_at


def test_an_answer_can_be_saved_unpublished(client_for, secretariat, open_call, pending):
    response = client_for("secretariat").post(
        f"{questions_url(open_call)}{pending.pk}/answer/",
        {"answer": "Draft answer", "publish": False}, format="json")
    assert response.status_code == 200
    assert response.json()["is_published"] is False


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 401), ("ngo", 403), ("other_ngo", 403), ("reviewer", 403),
    ("board_member", 403), ("donor", 403),
])
def test_only_the_secretariat_answers(client_for, everyone, open_call, pending, role, expected):
    response = client_for(role).post(f"{questions_url(open_call)}{pending.pk}/answer/",
                                     {"answer": "Yes"}, format="json")
    assert response.status_code == expected
    pending.refresh_from_db()
    assert pending.answer == ""


def test_answering_a_question_through_another_call_is_a_404(client_for, secretariat, pending):
    other = CallFactory()
    response = client_for("secretariat").post(f"{questions_url(other)}{pending.pk}/answer/",
                                              {"answer": "Yes"}, format="json")
    assert response.status_code == 404


def test_an_empty_answer_is_a_400(client_for, secretariat, open_call, pending):
    response = client_for("secretariat").post(f"{questions_url(open_call)}{pending.pk}/answer/",
                                              {"answer": ""}, format="json")
    assert response.status_code == 400
    assert "answer" in response.json()
