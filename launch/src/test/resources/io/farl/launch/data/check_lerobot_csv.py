"""Loads a farl CSV export (LeRobot-style layout) with pandas, checks its shape, and writes what it read as JSON.

Usage: python3 check_lerobot_csv.py LAYOUT REPORT.json
LeRobotExportIT compares the report with the dataset files the export was made from.
"""
import json
import sys

import pandas as pd

root, report_path = sys.argv[1], sys.argv[2]
with open(f"{root}/meta/info.json") as f:
    info = json.load(f)
episodes = pd.read_json(f"{root}/meta/episodes.jsonl", lines=True)
tasks = pd.read_json(f"{root}/meta/tasks.jsonl", lines=True)

assert info["codebase_version"] == "v2.1", info["codebase_version"]
assert info["total_episodes"] == len(episodes), (info["total_episodes"], len(episodes))
obs = info["features"]["observation.state"]["shape"][0]
act = info["features"]["action"]["shape"][0]
state = [f"observation.state.{i}" for i in range(obs)]
action = [f"action.{i}" for i in range(act)]
lerobot = ["next.reward", "next.done", "episode_index", "frame_index", "timestamp", "index", "task_index"]

frames = []
for ep in episodes.itertuples():
    path = root + "/" + info["data_path"].format(
        episode_chunk=ep.episode_index // info["chunks_size"], episode_index=ep.episode_index)
    # pandas' default float parser may be off in the last digit; round_trip reads exactly what Java wrote
    df = pd.read_csv(path, float_precision="round_trip")
    missing = [c for c in state + action + lerobot if c not in df.columns]
    assert not missing, (path, missing)
    assert len(df) == ep.length, (path, len(df), ep.length)
    assert (df["episode_index"] == ep.episode_index).all(), path
    assert df["frame_index"].tolist() == list(range(len(df))), path
    assert df["next.done"].dtype == bool, (path, df["next.done"].dtype)
    assert df[state].notna().all().all(), path
    assert df["timestamp"].is_monotonic_increasing, path
    frames.append(df)

data = pd.concat(frames, ignore_index=True)
assert len(data) == info["total_frames"], (len(data), info["total_frames"])
assert data["index"].tolist() == list(range(len(data)))
assert set(data["task_index"]) <= set(tasks["task_index"])

report = {
    "pandas": pd.__version__,
    "episodes": len(episodes),
    "frames": len(data),
    "columns": len(data.columns),
    "stateShape": list(data[state].shape),
    "tasks": tasks["task"].tolist(),
    "labels": episodes["label"].tolist(),
    "irFailureSteps": [None if pd.isna(x) else int(x) for x in episodes["ir_failure_step"]],
    "rewards": [df["next.reward"].tolist() for df in frames],
    "actions": [df[action].values.tolist() for df in frames],
}
with open(report_path, "w") as f:
    json.dump(report, f)
print(f"pandas {pd.__version__}: {report['episodes']} episodes, {report['frames']} frames, "
      f"{report['columns']} columns, observation.state {report['stateShape']}, tasks {report['tasks']}, "
      f"labels {report['labels']}, ir_failure_step {report['irFailureSteps']}")
