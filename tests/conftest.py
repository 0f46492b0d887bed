"""Fixtures shared by every test: the synthetic credit-card data, its split, the tutorial's rules."""

import json
import os
import tempfile

import pytest

os.environ["RULE_STUDIO_STRICT"] = "1"  # the app raises what it would show as one line to a user
os.environ.setdefault("RULE_STUDIO_UPLOADS", tempfile.mkdtemp(prefix="rule-studio-uploads-"))

import studio
from tests.support.sample_rules import TUTORIAL_RULES


@pytest.fixture(scope="session")
def credit():
    return studio.load("creditcard-synthetic")


@pytest.fixture(scope="session")
def credit_split(credit):
    return credit.split("Class", positive=1, test_size=0.5, seed=0)


@pytest.fixture(scope="session")
def tutorial_rules():
    return studio.RuleSet.from_dict(TUTORIAL_RULES)


@pytest.fixture(scope="session")
def spark():
    """A local Spark session (one for the whole run: it takes seconds to start)."""
    pytest.importorskip("pyspark", reason="the test command installs pyspark")
    from pyspark.sql import SparkSession
    session = (SparkSession.builder.master("local[1]").appName("rule-studio-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
               .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate())
    yield session
    session.stop()


@pytest.fixture
def rules_file(tmp_path):
    def write(data, name="rules.json"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data))
        return path
    return write
