"""Proving a plan on a real throwaway database: shadow servers, sample rows, catalog snapshots, verify."""
