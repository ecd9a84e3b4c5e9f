"""Spec + schema -> Plan: actions as data, the planner, the human half (PLAN.md) and the writer."""
