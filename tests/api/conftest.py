def pytest_terminal_summary(terminalreporter):
    """The schemathesis totals (tests/api/test_contract.py), when it ran."""
    from .test_contract import TALLY

    if TALLY.cases:
        terminalreporter.section("schemathesis")
        for line in TALLY.lines():
            terminalreporter.write_line(line)
