#!/usr/bin/env python3
"""peers.py — accuracy of vocmine's peer baselines, with the figures of `vocmine eval`.

Run by tools/peers (which finds a Python with scikit-learn and installs vader-sentiment); see
there for the usage. Peers:
  tfidf-lr  TF-IDF + logistic regression trained on the labeled dev data (English: word 1-2
            grams; Chinese: character 1-3 grams), label = most probable class,
            score = P(positive) - P(negative);
  vader     the npm package vader-sentiment (English only), score = compound,
            label positive if compound >= 0.05, negative if <= -0.05, else neutral;
and vocmine itself through its CLI (`vocmine eval`, `vocmine train`).

Protocols:
  split  train on the rows with fnv1a64(id) % 5 != 0 of every file of a language group,
         report on each file's rows with fnv1a64(id) % 5 == 0;
  cross  leave one file out: train on all rows of the other files of the group, report on all
         rows of the file.

Figures as src/cli/eval.c: n = items with a gold label; accuracy and macro-F1 over the classes
the gold uses (the prediction stays 3-way); binary accuracy on gold positive/negative items by
the sign of the score (0 = wrong); Pearson r of the score against the gold "score" over every
item that has one (null-label items included).
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

LABELS = ("negative", "neutral", "positive")  # the order of enum voc_label (confusion rows/cols)
LIDX = {l: i for i, l in enumerate(LABELS)}
C_GRID = (0.5, 1.0, 2.0, 4.0, 8.0)
T0 = time.monotonic()


def log(msg):
    print("peers: %s" % msg, file=sys.stderr, flush=True)


def fnv1a64(s):
    h = 0xCBF29CE484222325
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def is_test(rec_id):
    return fnv1a64(rec_id) % 5 == 0


# ---- data --------------------------------------------------------------------------------------

class DataFile:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.ids, self.texts, self.labels, self.gold_scores = [], [], [], []
        self.skipped = 0
        langs = {}
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                # the same filter as tools/bench.d/vader_peer.js, so its output lines align
                if not line.strip():
                    continue
                d = json.loads(line)
                text = d.get("text")
                if not isinstance(text, str):
                    self.skipped += 1
                    continue
                label = d.get("label")
                if label is not None and label not in LIDX:
                    raise SystemExit("peers: %s: unknown label %r" % (path, label))
                sc = d.get("score")
                has = isinstance(sc, (int, float)) and not isinstance(sc, bool)
                self.ids.append(str(d.get("id", "")))
                self.texts.append(text)
                self.labels.append(label)
                self.gold_scores.append(float(sc) if has else None)
                lg = d.get("lang") or "?"
                langs[lg] = langs.get(lg, 0) + 1
        if self.name.startswith("en_"):
            self.group = "en"
        elif self.name.startswith("zh_"):
            self.group = "zh"
        else:  # a file given by the user: by the majority "lang" of its rows
            top = max(langs, key=langs.get) if langs else "?"
            self.group = "en" if top == "en" else ("zh" if top.startswith("zh") else None)
        self.test = [is_test(i) for i in self.ids]

    def rows(self, subset):
        """Indices of the rows of a subset: 'all', 'train' or 'test'."""
        if subset == "all":
            return list(range(len(self.ids)))
        want = subset == "test"
        return [i for i, t in enumerate(self.test) if t == want]


# ---- figures (src/cli/eval.c) ---------------------------------------------------------------

def figures(gold, gold_score, pred, score):
    """gold: labels or None; gold_score: floats or None; pred: labels; score: floats."""
    conf = [[0] * 3 for _ in range(3)]
    n = nb = bc = nz = ns = 0
    sx = sy = sxx = syy = sxy = 0.0
    for g, gs, p, s in zip(gold, gold_score, pred, score):
        if gs is not None:
            ns += 1
            sx += s; sy += gs; sxx += s * s; syy += gs * gs; sxy += s * gs
        if g is None:
            continue
        gi = LIDX[g]
        n += 1
        conf[gi][LIDX[p]] += 1
        if s != 0:
            nz += 1
        if g != "neutral":
            nb += 1
            if (g == "positive" and s > 0) or (g == "negative" and s < 0):
                bc += 1
    correct = sum(conf[c][c] for c in range(3))
    f1_sum, classes = 0.0, 0
    for c in range(3):
        gold_c = sum(conf[c]); pred_c = sum(conf[k][c] for k in range(3))
        if gold_c == 0:
            continue
        classes += 1
        pr = conf[c][c] / pred_c if pred_c else 0.0
        rc = conf[c][c] / gold_c
        f1_sum += 2 * pr * rc / (pr + rc) if pr + rc > 0 else 0.0
    pearson = None
    if ns > 1:
        cov = sxy - sx * sy / ns
        vx = sxx - sx * sx / ns
        vy = syy - sy * sy / ns
        if vx > 0 and vy > 0:
            pearson = cov / (vx * vy) ** 0.5
    return {
        "n": n, "classes": classes,
        "accuracy": correct / n if n else 0.0,
        "macro_f1": f1_sum / classes if classes else 0.0,
        "binary_n": nb, "binary_accuracy": bc / nb if nb else None,
        "coverage": nz / n if n else 0.0,
        "pearson_r": pearson, "confusion": conf,
    }


# ---- tfidf-lr -------------------------------------------------------------------------------

def vec_params(group):
    if group == "en":
        return dict(lowercase=True, ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    return dict(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)


def vec_shown(group):
    return "TfidfVectorizer(%s)" % ", ".join("%s=%r" % kv for kv in vec_params(group).items())


def lr_make(C, warm=False):
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=C, max_iter=2000, solver="lbfgs", multi_class="multinomial",
                              random_state=0, warm_start=warm)


LR_SHOWN = ("LogisticRegression(C=%s, max_iter=2000, solver='lbfgs', multi_class='multinomial', "
            "random_state=0)")


def predict(model, vec, texts):
    """Labels (most probable class; ties to the first in negative/neutral/positive order) and
    scores P(positive) - P(negative) (a class absent from training has probability 0)."""
    import numpy as np
    P = model.predict_proba(vec.transform(texts))
    classes = list(model.classes_)
    col = {c: classes.index(c) for c in classes}
    labels = [classes[j] for j in np.argmax(P, axis=1)]
    pos = P[:, col["positive"]] if "positive" in col else np.zeros(len(texts))
    neg = P[:, col["negative"]] if "negative" in col else np.zeros(len(texts))
    return labels, [float(v) for v in (pos - neg)]


def cv_fold(group, texts, labels, tr, va):
    """One CV fold: the vectorizer fitted on the fold's training part only, then the C grid
    ascending, each fit warm-started from the previous one. Returns macro-F1 per C."""
    import warnings
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer
    warnings.simplefilter("ignore", ConvergenceWarning)
    vec = TfidfVectorizer(**vec_params(group))
    X = vec.fit_transform([texts[i] for i in tr])
    y = [labels[i] for i in tr]
    gold = [labels[i] for i in va]
    vtexts = [texts[i] for i in va]
    model = lr_make(C_GRID[0], warm=True)
    out = []
    for C in C_GRID:
        model.set_params(C=C)
        model.fit(X, y)
        pred, score = predict(model, vec, vtexts)
        out.append(figures(gold, [None] * len(gold), pred, score)["macro_f1"])
    return out


def choose_C(group, texts, labels, jobs):
    import numpy as np
    from joblib import Parallel, delayed
    from sklearn.model_selection import StratifiedKFold
    skf = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    folds = list(skf.split(np.zeros(len(labels)), labels))
    res = Parallel(n_jobs=min(jobs, len(folds)))(
        delayed(cv_fold)(group, texts, labels, tr, va) for tr, va in folds)
    means = [sum(r[k] for r in res) / len(res) for k in range(len(C_GRID))]
    best = max(range(len(C_GRID)), key=lambda k: (round(means[k], 6), -k))  # ties: smaller C
    return C_GRID[best], means


class Trained:
    def __init__(self, vec, model, C):
        self.vec, self.model, self.C = vec, model, C


_model_cache = {}


def train_lr(group, parts, C_fixed, jobs, what):
    """parts: [(DataFile, subset)]; a model per distinct training set, fitted once."""
    key = (group, tuple((f.path, s) for f, s in parts), C_fixed)
    if key in _model_cache:
        return _model_cache[key]
    from sklearn.feature_extraction.text import TfidfVectorizer
    texts, labels = [], []
    for f, subset in parts:
        for i in f.rows(subset):
            if f.labels[i] is not None:
                texts.append(f.texts[i]); labels.append(f.labels[i])
    counts = {l: labels.count(l) for l in LABELS if l in labels}
    t = time.monotonic()
    if C_fixed is None:
        C, means = choose_C(group, texts, labels, jobs)
        cv = "C chosen by 3-fold stratified CV (shuffle, random_state=0) on the training rows only, " \
             "vectorizer refitted per fold, by mean macro-F1: " + \
             ", ".join("C=%g %.4f" % (c, m) for c, m in zip(C_GRID, means)) + " -> C=%g" % C
    else:
        C, cv = C_fixed, "C=%g fixed (--C)" % C_fixed
    vec = TfidfVectorizer(**vec_params(group))
    X = vec.fit_transform(texts)
    model = lr_make(C)
    model.fit(X, labels)
    log("tfidf-lr %s: trained on %s: %d labeled rows %s" % (
        what, " + ".join("%s (%s rows)" % (f.name, s) for f, s in parts), len(texts),
        json.dumps(counts)))
    log("  %s -> %d features; %s" % (vec_shown(group), X.shape[1], cv))
    log("  %s, classes %s, %d iterations, %.1f s" % (
        LR_SHOWN % ("%g" % C), list(model.classes_), int(max(model.n_iter_)), time.monotonic() - t))
    tr = Trained(vec, model, C)
    _model_cache[key] = tr
    return tr


# ---- vader ----------------------------------------------------------------------------------

_vader_cache = {}


def vader_scores(f, args):
    if f.path in _vader_cache:
        return _vader_cache[f.path]
    env = dict(os.environ, NODE_PATH=args.vader_node_path)
    p = subprocess.run(["node", args.vader_script, f.path], env=env, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("node %s %s failed: %s" % (args.vader_script, f.name, p.stderr.strip()[:300]))
    comp = [float(json.loads(l)["compound"]) for l in p.stdout.splitlines() if l.strip()]
    if len(comp) != len(f.texts):
        raise RuntimeError("vader_peer.js gave %d lines for %d texts of %s" % (len(comp), len(f.texts), f.name))
    _vader_cache[f.path] = comp
    return comp


def vader_label(c):
    return "positive" if c >= 0.05 else ("negative" if c <= -0.05 else "neutral")


# ---- vocmine --------------------------------------------------------------------------------

def first_reason(p):
    for stream in (p.stderr, p.stdout):
        for line in (stream or "").splitlines():
            if line.strip():
                return line.strip()[:200]
    return "exit status %d" % p.returncode


def run_vocmine(cmd, env):
    log("  $ %s" % " ".join(cmd))
    try:
        return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as e:
        return subprocess.CompletedProcess(cmd, 127, "", str(e))


def vocmine_eval_all(p):
    """The {"lang":"all"} line of `vocmine eval --json`, or an error string."""
    if p.returncode != 0:
        return first_reason(p)
    for line in p.stdout.splitlines():
        try:
            d = json.loads(line)
        except ValueError:
            continue
        if d.get("lang") == "all":
            return d
    return "no {\"lang\":\"all\"} line in the output of vocmine eval --json"


def vocmine_split(f, args, env):
    if not args.vocmine_ok:
        return args.vocmine_reason
    return vocmine_eval_all(run_vocmine([args.vocmine, "eval", "--split", "test", "--json", f.path], env))


def vocmine_cross(f, others, args, env, work):
    if not args.vocmine_ok:
        return args.vocmine_reason
    lex = tempfile.mkdtemp(prefix="lex-", dir=work)
    lang = "en" if f.group == "en" else "zh-Hant"
    p = run_vocmine([args.vocmine, "train", "--lang", lang, "--output", lex] + [o.path for o in others], env)
    if p.returncode != 0:
        return "train: " + first_reason(p)
    r = vocmine_eval_all(run_vocmine([args.vocmine, "eval", "--lexicons", lex, "--json", f.path], env))
    shutil.rmtree(lex, ignore_errors=True)
    return r


# ---- report ---------------------------------------------------------------------------------

def fmt(v, nd=3):
    return "-" if v is None else "%.*f" % (nd, v)


def beats(vm, peers):
    """Peers that vocmine beats, by the issue's metrics (compared at eval's 4 decimals): where the
    gold has neutral, 3-way accuracy AND macro-F1; where it is only positive/negative, binary
    accuracy (the sign of the score on the gold's polar items)."""
    out = []
    for name, fig in peers:
        if fig is None or isinstance(fig, str):
            continue
        if vm.get("classes", 3) == 2:
            if round(vm["binary_accuracy"], 4) > round(fig["binary_accuracy"], 4):
                out.append(name)
        elif round(vm["accuracy"], 4) > round(fig["accuracy"], 4) and \
                round(vm["macro_f1"], 4) > round(fig["macro_f1"], 4):
            out.append(name)
    return out


PROTO_TITLE = {
    "split": "in-domain held-out: test rows = fnv1a64(id) %% 5 == 0, tfidf-lr trained on the other rows "
             "of every file of the language group",
    "cross": "cross-domain, leave one file out: tfidf-lr (and vocmine train) on all rows of the other "
             "files of the language group, figures on all rows of the file",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--protocol", choices=("split", "cross", "both"), default="both")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--C", type=float, default=None)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--vader-node-path", default="")
    ap.add_argument("--vader-script", default="")
    ap.add_argument("--vader-version", default="?")
    ap.add_argument("--vader-reason", default="")
    ap.add_argument("--vocmine", default="")
    ap.add_argument("--vocmine-reason", default="")
    ap.add_argument("--note", action="append", default=[])
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    import numpy
    import sklearn
    work = tempfile.mkdtemp(prefix="vocmine-peers.")
    try:
        run(args, work, numpy.__version__, sklearn.__version__)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, work, np_version, sk_version):
    notes = list(args.note)
    notes.append("SnowNLP (the usual Chinese sentiment peer) is not measured: it is on PyPI only, "
                 "which this machine cannot reach, and Debian does not package it")
    log("python %s, scikit-learn %s, numpy %s; --jobs %d" % (
        platform.python_version(), sk_version, np_version, args.jobs))

    files = []
    for p in args.files:
        f = DataFile(p)
        if f.group is None:
            notes.append("%s skipped: neither English nor Chinese" % f.name)
            continue
        if f.skipped:
            notes.append("%s: %d lines without a string \"text\" left out" % (f.name, f.skipped))
        files.append(f)
    groups = {}
    for f in files:
        groups.setdefault(f.group, []).append(f)

    use_vader = bool(args.vader_script) and not args.vader_reason
    if args.vader_reason:
        notes.append("vader skipped: " + args.vader_reason)
    elif use_vader:
        log("vader: vader-sentiment %s: NODE_PATH=%s node %s FILE (compound >= 0.05 positive, "
            "<= -0.05 negative, else neutral; score = compound)" % (
                args.vader_version, args.vader_node_path, args.vader_script))

    env = dict(os.environ, VOCMINE_CACHE_DIR=os.path.join(work, "vocmine-cache"))
    args.vocmine_ok = False
    if args.vocmine_reason:
        pass
    elif not args.vocmine or not os.access(args.vocmine, os.X_OK):
        args.vocmine_reason = "%s not built" % (args.vocmine or "build/vocmine")
    else:
        args.vocmine_ok = True

    protocols = ("split", "cross") if args.protocol == "both" else (args.protocol,)
    results = {}  # protocol -> [(file, [(system, figures|error)])]
    for proto in protocols:
        log("---- protocol %s ----" % proto)
        rows = []
        for g in sorted(groups):
            gfiles = groups[g]
            if proto == "split":
                lr = train_lr(g, [(f, "train") for f in gfiles], args.C, args.jobs, "split/%s" % g)
            for f in gfiles:
                subset = "test" if proto == "split" else "all"
                idx = f.rows(subset)
                gold = [f.labels[i] for i in idx]
                gsc = [f.gold_scores[i] for i in idx]
                systems = []
                # vocmine
                if proto == "split":
                    vm = vocmine_split(f, args, env)
                else:
                    others = [o for o in gfiles if o is not f]
                    vm = vocmine_cross(f, others, args, env, work) if others else \
                        "no other %s file to train on" % g
                if isinstance(vm, str):
                    log("vocmine: %s" % vm)
                systems.append(("vocmine", vm))
                # tfidf-lr
                if proto == "cross":
                    others = [o for o in gfiles if o is not f]
                    lr = train_lr(g, [(o, "all") for o in others], args.C, args.jobs,
                                  "cross/%s" % f.name) if others else None
                if lr is None:
                    systems.append(("tfidf-lr", "no other %s file to train on" % g))
                else:
                    pred, score = predict(lr.model, lr.vec, [f.texts[i] for i in idx])
                    fig = figures(gold, gsc, pred, score)
                    fig["C"] = lr.C
                    systems.append(("tfidf-lr", fig))
                # vader
                if g == "en" and use_vader:
                    try:
                        comp = vader_scores(f, args)
                        sc = [comp[i] for i in idx]
                        systems.append(("vader", figures(gold, gsc, [vader_label(c) for c in sc], sc)))
                    except RuntimeError as e:
                        systems.append(("vader", str(e)))
                        log("vader: %s" % e)
                if not isinstance(vm, str):
                    n_peer = [fg["n"] for _, fg in systems[1:] if isinstance(fg, dict)]
                    if n_peer and vm.get("n") != n_peer[0]:
                        notes.append("%s %s: vocmine n=%s but the peers' n=%d (not the same rows?)" % (
                            proto, f.name, vm.get("n"), n_peer[0]))
                    vm["beats"] = beats(vm, systems[1:])
                rows.append((f, systems))
        results[proto] = rows

    if args.json:
        for proto in protocols:
            for f, systems in results[proto]:
                for name, fig in systems:
                    d = {"protocol": proto, "file": f.name, "group": f.group, "system": name}
                    if isinstance(fig, str):
                        d["error"] = fig
                    else:
                        for k in ("n", "classes", "accuracy", "macro_f1", "binary_n", "binary_accuracy",
                                  "coverage", "pearson_r", "confusion", "C", "beats"):
                            if k in fig:
                                v = fig[k]
                                d[k] = round(v, 4) if isinstance(v, float) and k != "C" else v
                    print(json.dumps(d, ensure_ascii=False))
        for n in notes:
            log("note: " + n)
    else:
        for proto in protocols:
            print("protocol %s (%s)" % (proto, PROTO_TITLE[proto] % ()))
            hdr = ("file", "system", "n", "cls", "acc", "macro-F1", "binary acc", "pearson r", "vocmine beats")
            table = [hdr]
            for f, systems in results[proto]:
                first = True
                for name, fig in systems:
                    fname = f.name if first else ""
                    first = False
                    if isinstance(fig, str):
                        table.append((fname, name, "-", "-", "-", "-", "-", "-", "(%s)" % fig))
                        continue
                    bt = "-"
                    if name == "vocmine":
                        bt = ", ".join(fig["beats"]) or "none"
                    elif name == "tfidf-lr":
                        name = "tfidf-lr C=%g" % fig["C"]
                    table.append((fname, name, str(fig["n"]), "%d-way" % fig["classes"],
                                  fmt(fig["accuracy"]), fmt(fig["macro_f1"]), fmt(fig.get("binary_accuracy")),
                                  fmt(fig.get("pearson_r")), bt))
            w = [max(len(r[i]) for r in table if len(r[i]) < 60 or i == len(hdr) - 1) for i in range(len(hdr))]
            for k, r in enumerate(table):
                cells = []
                for i, c in enumerate(r):
                    if i == len(hdr) - 1:
                        cells.append(c)
                    elif 2 <= i <= 7:
                        cells.append(c.rjust(w[i]))
                    else:
                        cells.append(c.ljust(w[i]))
                print("  ".join(cells).rstrip())
                if k == 0:
                    print("  ".join("-" * w[i] for i in range(len(hdr))))
            print()
        print("n: items with a gold label (null-label items only count for pearson r); acc, macro-F1: "
              "over the classes the gold uses (cls), prediction 3-way; binary acc: sign of the score on "
              "gold positive/negative items (0 = wrong); pearson r: score vs the gold \"score\".")
        print("vocmine beats: the peers vocmine beats for that file: on 3-way accuracy AND macro-F1 where "
              "the gold has neutral, on binary accuracy where it is only positive/negative.")
        for n in notes:
            print("note: " + n)
    log("done in %.0f s" % (time.monotonic() - T0))


if __name__ == "__main__":
    main()
