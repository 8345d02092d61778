"""Plain-English words for the values the console shows (the database keeps short codes)."""

from __future__ import annotations

STATUS = {
    "new": "New",
    "assigned": "Assigned",
    "contacted": "Contacted",
    "waiting": "Waiting for family",
    "closed": "Closed",
}
REASON = {
    "request_human": "Asked for a person",
    "personal_case": "Their own case",
    "complaint": "Complaint",
    "not_helpful": "Answers did not help",
    "not_confident": "Bot was not sure",
    "safety": "Safety concern",
}
OUTCOME = {
    "information_given": "Information given",
    "signposted": "Signposted",
    "advice_session_booked": "Advice session booked",
    "no_contact_possible": "No contact possible",
    "other": "Other",
}
METHOD = {"phone": "Phone", "email": "Email", "letter": "Letter", "other": "Other"}
ATTEMPT_OUTCOME = {
    "spoke_to_family": "Spoke to the family",
    "left_message": "Left a message",
    "no_answer": "No answer",
    "email_sent": "Email sent",
    "wrong_details": "Wrong contact details",
    "other": "Other",
}
AUDIENCE = {"parent": "Parent or carer", "young_person": "Young person"}
CONTACT = {"phone": "Phone", "email": "Email", "none": "Does not want contact"}
SPEAKER = {"user": "Family", "bot": "Assistant"}
ALERT = {"pending": "Waiting to send", "sent": "Sent", "failed": "Failed: will try again"}
STATUS_TAG = {
    "new": "govuk-tag--blue",
    "assigned": "govuk-tag--light-blue",
    "contacted": "govuk-tag--green",
    "waiting": "govuk-tag--yellow",
    "closed": "govuk-tag--grey",
}
ACTION = {
    "sign_in": "Signed in",
    "sign_in_failed": "Failed sign-in",
    "sign_out": "Signed out",
    "totp_enrolled": "Set up authenticator",
    "account_created": "Account created",
    "account_disabled": "Account disabled",
    "account_enabled": "Account enabled",
    "account_reset": "Account reset",
    "case_view": "Viewed case",
    "case_change": "Changed case",
    "export": "Export",
    "erasure": "Erasure",
    "retention": "Retention",
    "pause": "Paused assistant",
    "resume": "Resumed assistant",
    "audit_view": "Viewed audit log",
    "insights_view": "Viewed insights",
    "page_excluded": "Excluded a page",
    "exclusion_lifted": "Put a page back",
}
ROLE = {"caseworker": "caseworker", "admin": "admin", "editor": "Local Offer editor"}
QUESTION_OUTCOME = {
    "answer": "Answered",
    "tentative": "Answered, not sure",
    "not_sure": "Not sure",
    "answer_and_signpost": "Answered and signposted",
    "handoff": "Handed to SENDIASS",
    "safety": "Safety response",
    "out_of_scope": "Nothing in the Local Offer",
    "fallback": "Asked a question back",
    "small_talk": "Small talk",
}
FEEDBACK_REASON = {
    "off_topic": "Not about what they asked",
    "not_answered": "Did not answer their question",
    "hard_to_understand": "Hard to understand",
    "out_of_date": "Out of date",
    "something_else": "Something else",
    "no_reason": "No reason given",
}
EXCLUSION_REASON = {
    "personal_data": "It holds personal data",
    "wrong": "It is wrong",
    "other": "Another reason",
}
NOTES = {"nothing-to-take": "There is no new, unassigned case to take."}


def category(code: str) -> str:
    """A safety category code ('self_harm') in words ('Self harm')."""
    return code.replace("_", " ").capitalize()
