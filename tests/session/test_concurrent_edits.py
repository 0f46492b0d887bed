"""Several editors on one workspace never lose each other's work: every change is made on the latest
saved rules under the workspace's lock, and undo takes back one editor's own change only."""

import json
import threading
from dataclasses import replace

from studio.rules import RuleSet, rule
from studio.rules.merge import rebase
from studio.session.studio import StudioSession
from studio.session.workspace import Workspace

KEY = "creditcard-synthetic--Class"


def test_eight_threads_two_hundred_saves_each_lose_nothing(tmp_path):
    ws = Workspace("w", tmp_path)
    errors, seen = [], []

    def editor(k: int) -> None:
        mine = Workspace("w", tmp_path)  # each its own handle, as each tab has
        for n in range(200):
            def change(latest, revision, n=n):
                latest = latest or RuleSet(default=0)
                others = [r for r in latest.rules if r.name != f"t{k}"]
                return replace(latest, rules=tuple(others) + (rule(("V1", ">", n), then=1, name=f"t{k}"),))
            try:
                _, revision = mine.update_rules(KEY, change)
                seen.append(revision)
                json.loads(ws.rules_path(KEY).read_text())  # a reader never meets a half-written file
            except Exception as err:  # noqa: BLE001 -- counted, not raised, to see every failure
                errors.append(repr(err))

    threads = [threading.Thread(target=editor, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(seen) == list(range(1, 1601))  # every save got its own revision
    final = ws.load_rules(KEY)
    assert sorted((r.name, r.when[0].value) for r in final.rules) == [(f"t{k}", 199) for k in range(8)]
    assert ws.revision(KEY) == 1600
    assert [p.name for p in ws.rules_path(KEY).parent.iterdir() if p.suffix == ".tmp"] == []


def test_two_tabs_adding_alternately_keep_every_rule_and_undo_their_own(tmp_path):
    tab1 = StudioSession.start(Workspace("w", tmp_path))
    tab2 = StudioSession.start(Workspace("w", tmp_path))
    for n in range(50):  # neither tab looks at the other's change before making its own
        tab1.apply(tab1.rules.add(rule(("V1", ">", float(n)), then=1, name=f"one {n}")))
        tab2.apply(tab2.rules.add(rule(("V2", ">", float(n)), then=1, name=f"two {n}")))
    saved = Workspace("w", tmp_path).load_rules(KEY)
    assert len(saved.rules) == 100
    assert {r.name for r in saved.rules} == {f"one {n}" for n in range(50)} | {f"two {n}" for n in range(50)}
    assert any("changed in another tab" in n for n in tab1.notices + tab2.notices)

    tab1.undo()  # takes back tab 1's last rule only
    names = [r.name for r in Workspace("w", tmp_path).load_rules(KEY).rules]
    assert "one 49" not in names and "two 49" in names and len(names) == 99
    tab2.refresh()
    assert [r.name for r in tab2.rules.rules] == names
    tab1.redo()
    assert "one 49" in [r.name for r in Workspace("w", tmp_path).load_rules(KEY).rules]


def test_rebase_applies_one_change_on_top_of_another():
    a, b, c, d = (rule((f"V{k}", ">", k), then=1, name=n) for k, n in enumerate("abcd", start=1))
    base = RuleSet((a, b), default=0)
    assert rebase(base, base.add(c), base) == base.add(c)
    assert [r.name for r in rebase(base, base.add(c), base.add(d)).rules] == ["a", "b", "c", "d"]
    assert [r.name for r in rebase(base, base.remove(0), base.add(d)).rules] == ["b", "d"]
    toggled = rebase(base, base.toggle(1), RuleSet((d, a, b), default=0))
    assert [(r.name, r.enabled) for r in toggled.rules] == [("d", True), ("a", True), ("b", False)]
    assert rebase(base, base.with_default(1), base.add(d)).default == 1
    assert rebase(base, base, base.add(d)) == base.add(d)
