#!/usr/bin/python3
"""Eager PyTorch reference of the controller's per-step decision (JvmDecision.decide), on the same weights.

Reads what io.farl.model.djl.bench.BenchExport wrote (<export>/<size>/manifest.json and raw little-endian
float32/float64 files), builds the same networks as ordinary eager PyTorch modules (nn.Linear, nn.LayerNorm,
ReLU, SimNorm as a grouped softmax), and computes the same decision:

  task mean action tanh(pi_task(x)), C_H of it, recovery mean action tanh(pi_rec(x))          ("jvm")
  the same plus C_H of the recovery action, both rollouts as one batch of 2                    ("jvmBoth")

C_H = sum_{i=0..H} gamma_risk^i * sigmoid(con(z_i, a_i)), z_0 = enc(x), z_{i+1} = dyn(z_i, a_i), a_0 the proposed
action, a_i = tanh(mean of the policy prior p(z_i)) for i >= 1 (POLICY_PRIOR rollouts).

It first checks itself against the JVM's reference outputs (max abs difference of actions and costs; exits 1
when above --tolerance), then times --decisions decisions after --warmup, under torch.inference_mode(), with 1
and with 2 intra-op threads, and writes p50/p90/p99/p99.9/max in microseconds to --out (JSON).

Usage: /usr/bin/python3 scripts/bench/eager_decision.py --export DIR [--sizes small large] [--out FILE]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn


def load_manifest(directory):
    with open(os.path.join(directory, "manifest.json")) as f:
        manifest = json.load(f)

    def read(entry):
        dtype = {"float32": "<f4", "float64": "<f8"}[entry["dtype"]]
        a = np.fromfile(os.path.join(directory, entry["file"]), dtype=dtype)
        return a.reshape(entry["shape"])

    tensors = {name: read(e) for name, e in manifest["tensors"].items()}
    reference = {name: read(e) for name, e in manifest["reference"].items()}
    return manifest, tensors, reference


class SimNorm(nn.Module):
    def __init__(self, group):
        super().__init__()
        self.group = group

    def forward(self, x):
        shape = x.shape
        return torch.softmax(x.reshape(*shape[:-1], -1, self.group), dim=-1).reshape(shape)


def mlp(tensors, prefix, hidden_layers, eps, sim_norm_group=0):
    """(Linear, LayerNorm, ReLU) x hidden_layers, Linear, optional SimNorm; weights exported as [in, out]."""
    modules = []
    for layer in range(hidden_layers + 1):
        w = tensors[f"{prefix}l{layer}.w"]
        b = tensors[f"{prefix}l{layer}.b"]
        lin = nn.Linear(w.shape[0], w.shape[1])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(np.ascontiguousarray(w.T)))
            lin.bias.copy_(torch.from_numpy(b))
        modules.append(lin)
        if layer < hidden_layers:
            ln = nn.LayerNorm(w.shape[1], eps=eps)
            with torch.no_grad():
                ln.weight.copy_(torch.from_numpy(tensors[f"{prefix}l{layer}.g"]))
                ln.bias.copy_(torch.from_numpy(tensors[f"{prefix}l{layer}.beta"]))
            modules.append(ln)
            modules.append(nn.ReLU())
    if sim_norm_group > 0:
        modules.append(SimNorm(sim_norm_group))
    return nn.Sequential(*modules).eval()


class Policy(nn.Module):
    def __init__(self, tensors, prefix, manifest):
        super().__init__()
        t = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
        self.register_buffer("mean", torch.from_numpy(t["norm.mean"]))
        self.register_buffer("std", torch.from_numpy(t["norm.std"]))
        self.actor = mlp(t, "pi.", manifest["hiddenLayers"], manifest["layerNormEps"])
        self.act = manifest["actionSize"]

    def forward(self, obs):
        return torch.tanh(self.actor((obs - self.mean) / self.std)[..., : self.act])


class WorldModel(nn.Module):
    def __init__(self, tensors, manifest):
        super().__init__()
        t = {k[3:]: v for k, v in tensors.items() if k.startswith("wm/")}
        layers, eps, group = manifest["hiddenLayers"], manifest["layerNormEps"], manifest["simNormGroupSize"]
        self.register_buffer("mean", torch.from_numpy(t["norm.mean"]))
        self.register_buffer("std", torch.from_numpy(t["norm.std"]))
        self.encoder = mlp(t, "enc.", layers, eps, group)
        self.dynamics = mlp(t, "dyn.", layers, eps, group)
        self.constraint = mlp(t, "con.", layers, eps)
        self.prior = mlp(t, "pi.", layers, eps)
        self.horizon = manifest["horizonSteps"]
        self.gamma = manifest["gammaRisk"]
        self.act = manifest["actionSize"]

    def forward(self, obs, first_action):
        """C_H of first_action [B, act] in obs [B, obs]; returns [B]."""
        z = self.encoder((obs - self.mean) / self.std)
        a = first_action
        total = torch.zeros(obs.shape[0])
        g = 1.0
        for i in range(self.horizon + 1):
            if i > 0:
                a = torch.tanh(self.prior(z)[..., : self.act])
            za = torch.cat([z, a], dim=-1)
            total = total + g * torch.sigmoid(self.constraint(za)[..., 0])
            if i < self.horizon:
                z = self.dynamics(za)
            g *= self.gamma
        return total


class Decision:
    def __init__(self, directory):
        self.manifest, tensors, self.reference = load_manifest(directory)
        self.task = Policy(tensors, "task/", self.manifest)
        self.recovery = Policy(tensors, "recovery/", self.manifest)
        self.world_model = WorldModel(tensors, self.manifest)

    def decide(self, obs):
        """obs [1, obs]: (task action [1, act], task C_H [1], recovery action [1, act]), as JvmDecision.decide."""
        a = self.task(obs)
        c = self.world_model(obs, a)
        r = self.recovery(obs)
        return a, c, r

    def decide_both(self, obs):
        """Adds C_H of the recovery action; both rollouts in one batch of 2 (as jvmBoth)."""
        a = self.task(obs)
        r = self.recovery(obs)
        c = self.world_model(obs.expand(2, -1), torch.cat([a, r], dim=0))
        return a, c, r


def check(decision, tolerance):
    ref = decision.reference
    obs_all = torch.from_numpy(ref["observations"])
    worst = {"taskAction": 0.0, "recoveryAction": 0.0, "taskCost": 0.0, "taskCostBoth": 0.0, "recoveryCost": 0.0}
    with torch.inference_mode():
        for k in range(obs_all.shape[0]):
            obs = obs_all[k : k + 1]
            a, c, r = decision.decide(obs)
            _, c2, _ = decision.decide_both(obs)
            worst["taskAction"] = max(worst["taskAction"], float(np.abs(a.numpy()[0] - ref["taskAction"][k]).max()))
            worst["recoveryAction"] = max(worst["recoveryAction"],
                                          float(np.abs(r.numpy()[0] - ref["recoveryAction"][k]).max()))
            worst["taskCost"] = max(worst["taskCost"], abs(float(c[0]) - float(ref["taskCost"][k])))
            worst["taskCostBoth"] = max(worst["taskCostBoth"], abs(float(c2[0]) - float(ref["taskCostBoth"][k])))
            worst["recoveryCost"] = max(worst["recoveryCost"], abs(float(c2[1]) - float(ref["recoveryCost"][k])))
    ok = all(v <= tolerance for v in worst.values())
    return {"references": int(obs_all.shape[0]), "tolerance": tolerance, "maxAbsDiff": worst, "passed": ok}


def percentiles(samples_ns):
    us = np.sort(np.asarray(samples_ns, dtype=np.float64) / 1000.0)

    def p(q):
        # nearest-rank percentile
        return float(us[min(len(us) - 1, max(0, int(np.ceil(q / 100.0 * len(us))) - 1))])

    return {"unit": "us", "samples": len(us), "p50": p(50), "p90": p(90), "p99": p(99), "p99.9": p(99.9),
            "max": float(us[-1]), "mean": float(us.mean())}


def time_path(fn, obs, warmup, decisions):
    with torch.inference_mode():
        for _ in range(warmup):
            fn(obs)
        samples = np.empty(decisions, dtype=np.int64)
        clock = time.perf_counter_ns
        for k in range(decisions):
            t0 = clock()
            fn(obs)
            samples[k] = clock() - t0
    return percentiles(samples)


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return f.read().strip()
    except OSError:
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--export", required=True, help="directory BenchExport wrote (one subdirectory per size)")
    ap.add_argument("--sizes", nargs="+", default=["small", "large"])
    ap.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--warmup", type=int, default=500)
    ap.add_argument("--decisions", type=int, default=0, help="timed decisions per path (0: 10000 small, 3000 large)")
    ap.add_argument("--tolerance", type=float, default=1e-4,
                    help="max abs difference allowed vs the JVM's actions and costs (float32 sums in another order)")
    ap.add_argument("--out", default="eager-decision.json")
    args = ap.parse_args()

    torch.manual_seed(0)
    report = {"benchmark": "eager_decision.py", "torch": torch.__version__, "numpy": np.__version__,
              "cpus": os.cpu_count(), "mkldnnEnabled": torch.backends.mkldnn.is_available(),
              "loadAverageBefore": load_average(), "checks": {}, "results": []}
    failed = False
    for size in args.sizes:
        decision = Decision(os.path.join(args.export, size))
        result = check(decision, args.tolerance)
        report["checks"][size] = result
        print(f"eager {size}: max abs diff vs JVM {json.dumps(result['maxAbsDiff'])} "
              f"(tolerance {args.tolerance}): {'ok' if result['passed'] else 'FAILED'}", flush=True)
        if not result["passed"]:
            failed = True
            continue
        obs = torch.from_numpy(decision.reference["observations"][0:1].copy())
        n = args.decisions or (10000 if size == "small" else 3000)
        for threads in args.threads:
            torch.set_num_threads(threads)
            for path, fn in (("eager", decision.decide), ("eagerBoth", decision.decide_both)):
                stats = time_path(fn, obs, args.warmup, n)
                row = {"config": size, "path": path, "threads": threads, **stats}
                report["results"].append(row)
                print(f"eager {size} {path} threads={threads}: p50 {stats['p50']:.1f} p90 {stats['p90']:.1f} "
                      f"p99 {stats['p99']:.1f} max {stats['max']:.1f} us", flush=True)
    report["loadAverageAfter"] = load_average()
    with open(args.out, "w") as f:
        json.dump(report, f, indent=2)
    print(f"wrote {os.path.abspath(args.out)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
