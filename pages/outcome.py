"""Outcome: why did the outcome move? Cohort activation by week, by segment, channel and plan, and time to
activate."""

import streamlit as st

from ui.frame import page_context

context = page_context()
st.title("Outcome")
st.info("This page is being built.")
