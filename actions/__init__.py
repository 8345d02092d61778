"""Custom Rasa actions, served by rasa-sdk on 127.0.0.1:5055.

Actions are thin: they turn dialogue state into calls of the knowledge base (and, later, the app
store) and turn the results into messages. No parsing and no SQL here.
"""
