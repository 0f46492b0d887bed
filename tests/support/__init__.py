"""Helpers the tests share: sample rules, independent reference implementations, hypothesis
strategies, and driving the studio in Chromium."""
