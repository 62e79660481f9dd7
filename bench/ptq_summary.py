"""Summarizes the ablation table of docs/results/ptq.md: for each model and
per-channel precision, the best pipeline and its loss against FP32.

    /usr/bin/python3 bench/ptq_summary.py docs/results/ptq.md
Prints a Markdown table.
"""

import sys


def main(path):
    rows = []
    header = None
    for line in open(path):
        if not line.startswith("| "):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "model" and cells[1] == "pipeline":
            header = cells
        elif header and len(cells) == len(header) and cells[0] != "model":
            if all(c and c[0].isdigit() for c in cells[2:]):
                rows.append(dict(zip(header, cells)))
            else:
                break
    precisions = [h for h in header[3:] if "per-tensor" not in h]
    print("| model | FP32 | " + " | ".join(
        f"best {p} (pipeline, loss)" for p in precisions) + " |")
    print("|---|---|" + "---|" * len(precisions))
    for model in sorted({r["model"] for r in rows}):
        mine = [r for r in rows if r["model"] == model]
        fp32 = float(mine[0]["FP32"])
        cells = []
        for p in precisions:
            best = max(mine, key=lambda r: float(r[p]))
            cells.append(f"{best[p]} ({best['pipeline']}, "
                         f"{100 * (fp32 - float(best[p])):+.2f} points)")
        print(f"| {model} | {fp32:.4f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
