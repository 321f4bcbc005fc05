"""Scoring against gold: the arithmetic, the floors and the command."""

from __future__ import annotations

from kg.cli import main
from kg.evaluate import Evaluation, Score


def test_f1_is_the_harmonic_mean_of_precision_and_recall():
    score = Score(tp=6, fp=2, fn=4)
    assert (score.precision, score.recall) == (0.75, 0.6)
    assert round(score.f1, 4) == round(2 * 0.75 * 0.6 / 1.35, 4)


def test_an_empty_category_scores_perfectly():
    assert Score().f1 == 1.0


def test_a_category_below_its_floor_is_reported():
    evaluation = Evaluation({"a.txt": {"actors": Score(tp=8, fp=2, fn=2)}})
    assert evaluation.failures({"actors_f1": 0.9}) == ["actors: 0.800 is below the floor 0.90"]
    assert evaluation.failures({"actors_f1": 0.8}) == []


def test_evaluate_command_meets_the_floors_on_the_gold_set(runner):
    result = runner.invoke(main, ["evaluate", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"actors"' in result.output


def test_evaluate_exits_1_below_a_floor(runner, tmp_path):
    floors = tmp_path / "floors.toml"
    floors.write_text("[tool.policy-kg.floors]\nevents_f1 = 0.99\n", encoding="utf-8")
    result = runner.invoke(main, ["evaluate", "--floors", str(floors)])
    assert result.exit_code == 1
    assert "below floor: events:" in result.output
