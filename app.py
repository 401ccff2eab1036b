"""Seams: is every function hitting its own number while the customer outcome stalls?

`streamlit run app.py` opens the bundled demo workspace (data/demo), building it first when it has
no built file or its exports changed. SEAMS_WORKSPACE (or `workspace` in .streamlit/secrets.toml)
points it at another workspace.
"""

from ui.frame import run_app

run_app()
