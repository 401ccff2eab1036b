"""Functions: is each function hitting its own number, for how long, and does it move with the outcome?"""

import streamlit as st

from ui.frame import page_context

context = page_context()
st.title("Functions")
st.info("This page is being built.")
