"""Loading, validating and replacing rule packs: errors name file and line; a bad pack never
replaces a good one."""

from __future__ import annotations

import shutil
import threading
from datetime import date
from pathlib import Path

import pytest

from kiosk.eligibility import PackError, PackStore, load_pack, load_pack_files, run_scenarios
from kiosk.eligibility.pack import Mode
from kiosk.paths import resource

SHIPPED = resource("policies")
POLICY_IDS = {
    "difficulty-recognition", "flexible-insurance-subsidy", "public-welfare-post",
    "unemployment-registration", "entrepreneurship-training", "startup-guarantee-loan",
    "startup-subsidy", "graduate-internship", "graduate-assistance",
}


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped pack."""
    target = tmp_path / "policies"
    shutil.copytree(SHIPPED, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_shipped_pack_loads_and_its_scenarios_pass() -> None:
    pack = load_pack(SHIPPED)
    assert set(pack.policy_ids) >= POLICY_IDS
    assert pack.version and pack.published <= date.today()
    report = run_scenarios(pack)
    assert report.ok, "\n".join(map(str, report.problems))
    assert report.scenarios >= 3 * len(pack.policies)
    assert {p.mode for p in pack.policies} == set(Mode)
    for policy in pack.policies:
        assert policy.source and policy.legal_basis and policy.materials and policy.where


def test_every_amount_figure_cites_a_reference() -> None:
    pack = load_pack(SHIPPED)
    for policy in pack.policies:
        for case in policy.amount.cases:
            if case.value is not None:
                param = policy.parameters[case.value]
                assert all(v.reference for v in param.values if v.value is not None)


@pytest.mark.parametrize(("file", "old", "new", "needle", "message"), [
    ("difficulty-recognition.yaml", "check: hukou_tianjin", "check: hukuo_tianjin",
     "check: hukuo_tianjin", "did you mean 'hukou_tianjin'"),
    ("public-welfare-post.yaml", "check: employment_status == 'unemployed'",
     "check: employment_status == 'jobless'", "'jobless'", "not a possible value"),
    ("startup-subsidy.yaml", "  - id: employs_insured\n",
     "  - id: employs_insured\n    colour: red\n", "colour: red", "unknown field 'colour'"),
    ("graduate-assistance.yaml", "mode: auto", "mode: automatic", "mode: automatic",
     "'mode' must be auto"),
    ("entrepreneurship-training.yaml", "        value: 500\n",
     "        value: 500\n        value: 600\n", "value: 600", "duplicate key 'value'"),
    ("entrepreneurship-training.yaml", "      \"2022-06-21\":", "      \"2022-13-01\":",
     "2022-13-01", "is not a date"),
    ("unemployment-registration.yaml", "  text: 本项为登记服务",
     "  text: \"{rate} 本项为登记服务", "{rate}", "YAML"),
    ("startup-guarantee-loan.yaml", "reference: tech.jiangsulong.com", "note: x",
     '"2020-04-01":', "needs a 'reference'"),
    ("graduate-internship.yaml", "expect: {status: eligible, missing: [], conditions: "
     "{timing.recent_graduate: true}}", "expect: {status: maybe}", "status: maybe",
     "expect.status must be"),
    ("questions.yaml", "    - {label: 没有工作, value: unemployed}",
     "    - {label: 没有工作, value: jobless}", "value: jobless", "must be one of"),
    ("pack.yaml", "  - startup-subsidy\n", "  - startup-subsidy\n  - startup-subsidy\n",
     "startup-subsidy", "listed twice"),
    ("flexible-insurance-subsidy.yaml", "{rate_4050:.0%}", "{rate_4050:.0q}", ".0q",
     "cannot show {rate_4050} = 0.5"),
    ("startup-guarantee-loan.yaml", "{individual_limit}元", "{limit}元", "{limit}元",
     "quotes {limit}, which is not a parameter"),
    ("flexible-insurance-subsidy.yaml", "definitions:\n",
     "definitions:\n  unused_def: hukou_tianjn\n", "unused_def",
     "definition 'unused_def': in definition 'unused_def': unknown name 'hukou_tianjn'"),
    ("public-welfare-post.yaml", "unset: [difficulty_certified_on]",
     "unset: difficulty_certified_on", "unset: difficulty_certified_on",
     "'unset' must be a list"),
])
def test_malformed_pack_names_file_and_line(pack_dir: Path, file: str, old: str, new: str,
                                            needle: str, message: str) -> None:
    path = pack_dir / file
    edit(path, old, new)
    with pytest.raises(PackError) as info:
        load_pack(pack_dir)
    matching = [p for p in info.value.problems if message in p.message]
    assert matching, str(info.value)
    problem = matching[0]
    assert problem.file == f"{pack_dir}/{file}"
    expected_line = line_of(path, needle)
    assert problem.line is not None and abs(problem.line - expected_line) <= 1, \
        (problem, expected_line)
    assert str(problem).startswith(f"{pack_dir}/{file}:{problem.line}: ")


def test_all_problems_are_reported_at_once(pack_dir: Path) -> None:
    edit(pack_dir / "difficulty-recognition.yaml", "check: hukou_tianjin",
         "check: hukuo_tianjin")
    edit(pack_dir / "startup-subsidy.yaml", "check: working_age", "check: workng_age")
    with pytest.raises(PackError) as info:
        load_pack(pack_dir)
    files = {Path(p.file).name for p in info.value.problems}
    assert files == {"difficulty-recognition.yaml", "startup-subsidy.yaml"}


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: (d / "pack.yaml").unlink(), "missing: every pack needs pack.yaml"),
    (lambda d: (d / "graduate-assistance.yaml").unlink(), "has no file"),
    (lambda d: (d / "extra.yaml").write_text("id: extra\n"), "not listed in pack.yaml"),
    (lambda d: (d / "common.yaml").write_text("parameters: {}\n"),
     "missing shared parameter 'working_age_min'"),
    (lambda d: (d / "questions.yaml").write_bytes(b"\xff\xfe"), "not UTF-8"),
])
def test_structural_problems(pack_dir: Path, change: object, message: str) -> None:
    change(pack_dir)  # type: ignore[operator]
    with pytest.raises(PackError, match=message):
        load_pack(pack_dir)


def test_declared_facts_list_must_match_the_condition(pack_dir: Path) -> None:
    edit(pack_dir / "difficulty-recognition.yaml", "facts: [hukou_tianjin]",
         "facts: [hukou_rural]")
    with pytest.raises(PackError, match="'facts' says \\['hukou_rural'\\]"):
        load_pack(pack_dir)


def test_failing_scenario_and_untested_branch_are_reported(pack_dir: Path) -> None:
    path = pack_dir / "graduate-assistance.yaml"
    edit(path, "expect: {status: needs_info, missing: [graduation_date]}",
         "expect: {status: eligible, missing: [graduation_date]}")
    edit(path, "  - name: 已就业\n    date: 2026-11-26\n    profile: graduate_2025\n"
         "    facts: {employment_status: employed}\n"
         "    expect: {status: ineligible, conditions: {not_employed: false}}\n", "")
    report = run_scenarios(load_pack(pack_dir))
    assert not report.ok
    failure = report.failures[0]
    assert failure.line == line_of(path, "name: 毕业时间未知")
    assert "status expected eligible, got needs_info" in failure.message
    uncovered = [p.message for p in report.uncovered]
    assert uncovered == ["condition 'not_employed' is never not met in the scenarios"]


def test_load_from_downloaded_files_mapping() -> None:
    files = {p.name: p.read_bytes() for p in SHIPPED.glob("*.yaml")}
    pack = load_pack_files(files)
    assert pack.digest == load_pack(SHIPPED).digest
    files["pack.yaml"] = files["pack.yaml"].replace(b'version: "2026.1"', b"version: 2026.1")
    with pytest.raises(PackError, match=r"pack\.yaml:\d+: 'version' must be text"):
        load_pack_files(files)


def test_pack_store_keeps_the_last_good_pack(pack_dir: Path) -> None:
    store = PackStore.open(SHIPPED)
    good = store.current
    seen: list[str] = []
    store.subscribe(lambda pack: seen.append(pack.version))

    edit(pack_dir / "pack.yaml", 'version: "2026.1"', 'version: "2026.2"')
    edit(pack_dir / "startup-subsidy.yaml", "check: business_employees_insured >= 1",
         "check: business_employees_insured >= ")
    with pytest.raises(PackError) as info:
        store.replace(pack_dir)
    assert info.value.file.endswith("startup-subsidy.yaml") and info.value.line
    assert store.current is good

    # loads fine, but a scenario now fails: still refused
    edit(pack_dir / "startup-subsidy.yaml", "check: business_employees_insured >= ",
         "check: business_employees_insured >= 3")
    with pytest.raises(PackError, match="scenario"):
        store.replace(pack_dir)
    assert store.current is good and seen == []

    edit(pack_dir / "startup-subsidy.yaml", "check: business_employees_insured >= 3",
         "check: business_employees_insured >= 1")
    store.replace({p.name: p.read_text(encoding="utf-8") for p in pack_dir.glob("*.yaml")})
    assert store.current.version == "2026.2" and seen == ["2026.2"]


def test_pack_store_replace_is_safe_while_others_read() -> None:
    store = PackStore.open(SHIPPED)
    files = {p.name: p.read_bytes() for p in SHIPPED.glob("*.yaml")}
    stop = threading.Event()
    versions: set[str] = set()

    def reader() -> None:
        while not stop.is_set():
            versions.add(store.current.version)

    thread = threading.Thread(target=reader, name="pack-reader")
    thread.start()
    try:
        for _ in range(3):
            store.replace(files)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert versions == {"2026.1"}


def test_folded_yaml_lines_do_not_put_spaces_into_chinese() -> None:
    from kiosk.eligibility.pack import unfold_cjk

    assert unfold_cjk("公益性岗位 托底安置") == "公益性岗位托底安置"
    assert unfold_cjk("按“按需设岗”的原则\n安排") == "按“按需设岗”的原则安排"
    assert unfold_cjk("PES contact 每季度") == "PES contact 每季度"
