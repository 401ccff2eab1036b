"""Coordination: what does coordinating cost, where are the seams, and did an org change lower the load?"""

import streamlit as st

from ui.frame import page_context

context = page_context()
st.title("Coordination")
st.info("This page is being built.")
