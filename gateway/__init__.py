"""The FastAPI gateway: the only public entry point. It talks to Rasa over HTTP, never imports actions."""
