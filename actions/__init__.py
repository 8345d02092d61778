"""Custom Rasa actions, served by rasa-sdk on 127.0.0.1:5055.

Actions are thin: they turn dialogue state into calls of the knowledge base, the glossary and the
app store, and turn the results into messages. No parsing and no SQL here.

  startup.py     start-up: the settings, read once, the knowledge-base handle and the app database
  answer.py      answers from the knowledge base, two-stage fallback, 'tell me more', 'that didn't help'
  details.py     the one filler of the need, age, district and audience slots (Rasa's slot mapping action)
  services.py    the service finder form, 'show more', 'change area', follow-ups
  glossary.py    what a word means
  handoff.py     SENDIASS: contacts at once, contact preference, the escalation record
  consent.py     a yes during the offer: consent only when it says nothing else, else answered
  feedback.py    feedback about the assistant
"""
