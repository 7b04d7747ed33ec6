"""The case page as the person who must act reads it (issue 18)."""

from __future__ import annotations

from html.parser import HTMLParser

from django.urls import reverse
from django.utils import timezone

from screening import workflow
from screening.models import CaseEvent

QUESTION = "Please attach the test report with the test conditions."  # screening.demo


class AnswerForm(HTMLParser):
    """The text and fields of the form that answers a request, in document order."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.depth, self.items = action, 0, []
        self.describedby = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("action") == self.action:
            self.depth = 1
        elif self.depth and tag == "form":
            self.depth += 1
        if self.depth and tag in ("textarea", "label"):
            self.items.append(f"<{tag}>")
            if tag == "textarea":
                self.describedby = attrs.get("aria-describedby", "")

    def handle_endtag(self, tag):
        if self.depth and tag == "form":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and data.strip():
            self.items.append(" ".join(data.split()))


def answer_form(page: str, case) -> AnswerForm:
    parser = AnswerForm(reverse("case_transition", args=[case.pk, "answer"]))
    parser.feed(page)
    return parser


def test_the_open_question_is_shown_above_the_answer_box(client, case_in, analyst):
    case = case_in("returned")
    asked = case.events.get(kind=CaseEvent.Kind.INFO_REQUESTED)
    client.force_login(analyst)
    form = answer_form(client.get(case.get_absolute_url()).content.decode(), case)
    when = timezone.localtime(asked.at).strftime("%Y-%m-%d %H:%M")
    # Who asked, when, the question; then the answer box, which the question describes.
    assert form.items == [
        f"rita_reviewer asked on {when}:",
        QUESTION,
        "<label>",
        "Your answer",
        "<textarea>",
        "Answer and resubmit",
    ]
    assert form.describedby == "open-request"


def test_the_latest_question_is_the_open_one(client, case_in, analyst, reviewer):
    case = case_in("returned")
    case = workflow.answer(case=case, version=case.version, user=analyst, message="Attached.")
    case = workflow.start_review(case=case, version=case.version, user=reviewer)
    case = workflow.request_information(
        case=case, version=case.version, user=reviewer, message="And the cycle life?"
    )
    client.force_login(analyst)
    form = answer_form(client.get(case.get_absolute_url()).content.decode(), case)
    assert form.items[1] == "And the cycle life?"
    assert QUESTION not in form.items


def test_no_question_is_shown_when_none_is_open(client, case_in, analyst):
    case = case_in("draft")
    client.force_login(analyst)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="open-request"' not in page
