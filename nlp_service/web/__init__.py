"""The supervisors' review UI: pages under /ui served by the API's FastAPI app (`routes.install_web_ui`)."""
