//===- PrecisionReport.cpp - The precision sweep as Markdown and HTML -----===//

#include "tinyq/Compiler/PrecisionSweep.h"
#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <map>

using namespace tinyq;

namespace {
/// The methods as the tables and the chart name them, in their order.
struct MethodStyle {
  llvm::StringLiteral method, label, color;
};
constexpr MethodStyle kMethods[] = {
    {"two-inference", "two-inference (TinyQ)", "#1f6feb"},
    {"single-layer", "single-layer exhaustive", "#2da44e"},
    {"random", "random order (median)", "#8c959f"},
};

std::vector<double> getBudgets(const PrecisionSweep &sweep) {
  std::vector<double> budgets;
  for (const SweepPoint &point : sweep.points)
    if (point.method == "two-inference" &&
        !llvm::is_contained(budgets, point.budget))
      budgets.push_back(point.budget);
  return budgets;
}

const SweepPoint *findPoint(const PrecisionSweep &sweep, llvm::StringRef method,
                            double budget) {
  for (const SweepPoint &point : sweep.points)
    if (point.method == method && point.budget == budget)
      return &point;
  return nullptr;
}

/// The median weight bytes of \p method's points at \p budget.
double getMedianBytes(const PrecisionSweep &sweep, llvm::StringRef method,
                      double budget) {
  std::vector<double> bytes;
  for (const SweepPoint &point : sweep.points)
    if (point.method == method && point.budget == budget)
      bytes.push_back(double(point.bytes));
  llvm::sort(bytes);
  return bytes.empty() ? 0 : bytes[bytes.size() / 2];
}

void printEscaped(llvm::raw_ostream &os, llvm::StringRef text) {
  for (char c : text) {
    switch (c) {
    case '&':
      os << "&amp;";
      break;
    case '<':
      os << "&lt;";
      break;
    case '>':
      os << "&gt;";
      break;
    case '"':
      os << "&quot;";
      break;
    default:
      os << c;
    }
  }
}

/// Each layer's rank by \p key, 0 for the lowest value.
std::vector<size_t> rankLayers(const PrecisionSweep &sweep,
                               double SweepLayer::*key) {
  std::vector<size_t> order(sweep.layers.size()), rank(sweep.layers.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  llvm::sort(order, [&](size_t a, size_t b) {
    return std::make_pair(sweep.layers[a].*key, a) <
           std::make_pair(sweep.layers[b].*key, b);
  });
  for (size_t position = 0; position < order.size(); ++position)
    rank[order[position]] = position;
  return rank;
}
} // namespace

void tinyq::printSweepMarkdown(const PrecisionSweep &sweep,
                               llvm::StringRef model, llvm::raw_ostream &os) {
  os << "### " << model << "\n\n";
  os << llvm::format(
      "Analysis time: two-inference %.2f s (%u inferences, counted) = %.1fx "
      "one plain calibration pass (%.2f s); single-layer exhaustive %.2f s "
      "(%u inferences). Spearman correlation of the two-inference score "
      "with the single-layer SQNR: %.2f. Weights: %lld bytes at int8, %lld "
      "at int4.\n\n",
      sweep.analysisSeconds, sweep.inferences,
      sweep.analysisSeconds / std::max(sweep.calibrationSeconds, 1e-9),
      sweep.calibrationSeconds, sweep.singleLayerSeconds,
      sweep.singleLayerInferences, sweep.spearman, (long long)sweep.int8Bytes,
      (long long)sweep.int4Bytes);
  os << "| layer | kind | weights | MACs | est. cycles (" << sweep.costModel
     << ") | weight SQNR int8 / int4 (dB) | "
        "output SQNR int8 / all-int4 (dB) | SQNR drop (dB) | single-layer "
        "SQNR (dB) | zero inputs | input pairs with a zero | chosen "
        "|\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";
  for (const SweepLayer &layer : sweep.layers)
    os << "| `" << layer.name << "` | " << layer.kind << " | " << layer.weights
       << " | " << layer.macs << llvm::format(" | %.0f", layer.cycles)
       << llvm::format(" | %.1f / %.1f", layer.weightSqnr8, layer.weightSqnr4)
       << llvm::format(" | %.1f / %.1f", layer.activationSqnr8,
                       layer.activationSqnr4)
       << llvm::format(" | %.1f | %.1f | %.1f%% | %.1f%% | int%u |\n",
                       layer.sqnrDrop, layer.singleLayerSqnr,
                       100 * layer.zeroFraction, 100 * layer.pairZeroFraction,
                       layer.chosenBits);
  os << "\n| budget (of int8 bytes) |";
  std::vector<double> budgets = getBudgets(sweep);
  for (double budget : budgets)
    os << llvm::format(" %.3f |", budget);
  os << "\n|---|";
  for (size_t i = 0; i < budgets.size(); ++i)
    os << "--:|";
  os << "\n";
  for (const MethodStyle &style : kMethods) {
    os << "| " << style.label << " |";
    for (double budget : budgets)
      os << llvm::format(" %.4f (%.0f B) |",
                         sweep.getAccuracy(style.method, budget),
                         getMedianBytes(sweep, style.method, budget));
    os << "\n";
  }
  for (llvm::StringRef method : {"uniform-int4", "uniform-int8"})
    if (const SweepPoint *point =
            findPoint(sweep, method, method == "uniform-int4" ? 0.5 : 1.0))
      os << "| " << method << " | "
         << llvm::format("%.4f at %lld B", point->accuracy,
                         (long long)point->bytes)
         << " |" << std::string(budgets.size() - 1, '|') << "\n";
  os << "\n";
}

void tinyq::writeSweepReport(const PrecisionSweep &sweep, llvm::StringRef model,
                             llvm::raw_ostream &os) {
  os << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>TinyQ mixed precision: ";
  printEscaped(os, model);
  os << "</title><style>"
        "body{font-family:system-ui,sans-serif;margin:24px auto;max-width:"
        "1000px;color:#1f2328}h1{font-size:22px}h2{font-size:17px;margin-top:"
        "28px}.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px "
        "solid #d0d7de;border-radius:8px;padding:10px 14px;min-width:150px}"
        ".card b{display:block;font-size:20px}table{border-collapse:collapse;"
        "font-size:13px}td,th{border-bottom:1px solid #d0d7de;padding:4px 8px;"
        "text-align:right}td:first-child,th:first-child{text-align:left}"
        "svg text{font-size:12px;fill:#1f2328}</style></head><body>\n";
  os << "<h1>Mixed precision: ";
  printEscaped(os, model);
  os << "</h1>\n<div class=\"cards\">";
  auto card = [&](const llvm::Twine &value, llvm::StringRef what) {
    os << "<div class=\"card\"><b>";
    printEscaped(os, value.str());
    os << "</b>" << what << "</div>";
  };
  card(llvm::Twine(sweep.chosenBytes) + " B", "chosen weight bytes");
  card(llvm::Twine(sweep.int8Bytes) + " / " + llvm::Twine(sweep.int4Bytes) +
           " B",
       "all-int8 / all-int4");
  card(llvm::formatv("{0:f0}", sweep.chosenCycles).str(),
       "estimated cycles on " + sweep.costModel);
  card(llvm::Twine(sweep.inferences), "inferences in the analysis");
  card(llvm::formatv("{0:f2} s", sweep.analysisSeconds).str(),
       llvm::formatv("analysis ({0:f1}x one calibration pass)",
                     sweep.analysisSeconds /
                         std::max(sweep.calibrationSeconds, 1e-9))
           .str());
  card(llvm::formatv("{0:f2}", sweep.spearman).str(),
       "Spearman vs single-layer");
  os << "</div>\n";

  // Layers: chosen width, weight bytes (int8 size as an outline), MACs and
  // the two sensitivity rankings as bars (longer is more sensitive).
  os << "<h2>Layers</h2>\n";
  const int rowHeight = 34, top = 28;
  int height = top + rowHeight * int(sweep.layers.size()) + 8;
  os << "<svg id=\"layers\" xmlns=\"http://www.w3.org/2000/svg\" "
        "width=\"960\" height=\""
     << height << "\" role=\"img\">";
  os << "<text x=\"0\" y=\"16\" font-weight=\"bold\">layer</text>"
        "<text x=\"250\" y=\"16\" font-weight=\"bold\">weights</text>"
        "<text x=\"330\" y=\"16\" font-weight=\"bold\">weight bytes "
        "(outline: int8)</text><text x=\"560\" y=\"16\" "
        "font-weight=\"bold\">est. cycles</text><text x=\"740\" y=\"16\" "
        "font-weight=\"bold\">sensitivity (longer: raised first)</text>";
  int64_t maxWeights = 1;
  double maxCycles = 1;
  for (const SweepLayer &layer : sweep.layers) {
    maxWeights = std::max(maxWeights, layer.weights);
    maxCycles = std::max(maxCycles, layer.cycles);
  }
  std::vector<size_t> scoreRank = rankLayers(sweep, &SweepLayer::score),
                      truthRank =
                          rankLayers(sweep, &SweepLayer::singleLayerSqnr);
  double count = double(sweep.layers.size());
  for (auto [index, layer] : llvm::enumerate(sweep.layers)) {
    int y = top + rowHeight * int(index);
    os << "<g class=\"layer\"><text x=\"0\" y=\"" << y + 20 << "\">";
    std::string name = layer.name.size() > 32
                           ? "…" + layer.name.substr(layer.name.size() - 31)
                           : layer.name;
    printEscaped(os, name);
    os << "</text>";
    bool high = layer.chosenBits >= 8;
    os << "<rect x=\"250\" y=\"" << y + 6 << "\" width=\"56\" height=\"20\" "
       << "rx=\"10\" fill=\"" << (high ? "#2da44e" : "#bf8700") << "\"/>"
       << "<text x=\"278\" y=\"" << y + 20
       << "\" text-anchor=\"middle\" style=\"fill:#fff\">int"
       << layer.chosenBits << "</text>";
    double full = 150.0 * double(layer.weights) / double(maxWeights);
    double used = full * layer.chosenBits / 8.0;
    os << llvm::format("<rect x=\"330\" y=\"%d\" width=\"%.1f\" height=\"14\" "
                       "fill=\"none\" stroke=\"#8c959f\"/>",
                       y + 9, std::max(full, 1.0))
       << llvm::format("<rect x=\"330\" y=\"%d\" width=\"%.1f\" height=\"14\" "
                       "fill=\"#1f6feb\"/>",
                       y + 9, std::max(used, 1.0))
       << llvm::format(
              "<text x=\"%.1f\" y=\"%d\">%lld B</text>",
              336 + std::max(full, 1.0), y + 20,
              (long long)getPackedWeightBytes(layer.weights, layer.chosenBits));
    double cycles = 100.0 * layer.cycles / maxCycles;
    os << llvm::format(
        "<rect x=\"560\" y=\"%d\" width=\"%.1f\" height=\"14\" "
        "fill=\"#8250df\"><title>%lld MACs</title></rect><text x=\"%.1f\" "
        "y=\"%d\">%.0f</text>",
        y + 9, std::max(cycles, 1.0), (long long)layer.macs,
        566 + std::max(cycles, 1.0), y + 20, layer.cycles);
    double twoInference = 140.0 * (count - double(scoreRank[index])) / count,
           singleLayer = 140.0 * (count - double(truthRank[index])) / count;
    os << llvm::format("<rect x=\"740\" y=\"%d\" width=\"%.1f\" height=\"9\" "
                       "fill=\"#1f6feb\"><title>two-inference score "
                       "%.1f</title></rect>",
                       y + 6, twoInference, layer.score)
       << llvm::format("<rect x=\"740\" y=\"%d\" width=\"%.1f\" height=\"9\" "
                       "fill=\"#2da44e\"><title>single-layer SQNR %.1f "
                       "dB</title></rect>",
                       y + 17, singleLayer, layer.singleLayerSqnr)
       << llvm::format("<text x=\"%.1f\" y=\"%d\">%.1f dB</text>",
                       746 + singleLayer, y + 25, layer.singleLayerSqnr);
    os << "</g>";
  }
  os << "</svg>\n<p style=\"font-size:13px\"><span style=\"color:#1f6feb\">"
        "■</span> two-inference ranking &nbsp; <span style=\"color:#2da44e\">"
        "■</span> single-layer ranking (label: model output SQNR with only "
        "that layer at int4)</p>\n";

  // Accuracy versus weight bytes.
  os << "<h2>Accuracy versus weight size</h2>\n";
  double minAccuracy = 1, maxAccuracy = 0;
  for (const SweepPoint &point : sweep.points) {
    minAccuracy = std::min(minAccuracy, point.accuracy);
    maxAccuracy = std::max(maxAccuracy, point.accuracy);
  }
  double span = std::max(maxAccuracy - minAccuracy, 0.002);
  minAccuracy -= span * 0.1;
  maxAccuracy += span * 0.1;
  const double left = 70, right = 680, chartTop = 20, bottom = 340;
  double minBytes = double(sweep.int4Bytes), maxBytes = double(sweep.int8Bytes);
  double byteSpan = std::max(maxBytes - minBytes, 1.0);
  minBytes -= byteSpan * 0.04;
  maxBytes += byteSpan * 0.04;
  auto xOf = [&](double bytes) {
    return left + (bytes - minBytes) / (maxBytes - minBytes) * (right - left);
  };
  auto yOf = [&](double accuracy) {
    return bottom - (accuracy - minAccuracy) / (maxAccuracy - minAccuracy) *
                        (bottom - chartTop);
  };
  os << "<svg id=\"curve\" xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" "
        "height=\"380\" role=\"img\">";
  os << llvm::format("<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
                     "stroke=\"#1f2328\"/><line x1=\"%.0f\" y1=\"%.0f\" "
                     "x2=\"%.0f\" y2=\"%.0f\" stroke=\"#1f2328\"/>",
                     left, bottom, right, bottom, left, chartTop, left, bottom);
  for (int tick = 0; tick <= 4; ++tick) {
    double accuracy = minAccuracy + (maxAccuracy - minAccuracy) * tick / 4;
    double bytes = minBytes + (maxBytes - minBytes) * tick / 4;
    os << llvm::format("<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">"
                       "%.4f</text><line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" "
                       "y2=\"%.1f\" stroke=\"#eaeef2\"/>",
                       left - 6, yOf(accuracy) + 4, accuracy, left + 1,
                       yOf(accuracy), right, yOf(accuracy))
       << llvm::format("<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">"
                       "%.0f</text>",
                       xOf(bytes), bottom + 18, bytes);
  }
  os << llvm::format("<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">"
                     "weight bytes</text>",
                     (left + right) / 2, bottom + 36);
  os << "<text x=\"14\" y=\"190\" transform=\"rotate(-90 14 190)\" "
        "text-anchor=\"middle\">accuracy</text>";
  for (const SweepPoint &point : sweep.points)
    if (point.method == "random")
      os << llvm::format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
                         "fill=\"#d0d7de\"/>",
                         xOf(double(point.bytes)), yOf(point.accuracy));
  std::vector<double> budgets = getBudgets(sweep);
  for (auto [index, style] : llvm::enumerate(kMethods)) {
    os << "<polyline class=\"" << style.method
       << "\" fill=\"none\" stroke-width=\"2\" stroke=\"" << style.color << "\""
       << (index == 1 ? " stroke-dasharray=\"6 4\"" : "") << " points=\"";
    for (double budget : budgets)
      os << llvm::format("%.1f,%.1f ",
                         xOf(getMedianBytes(sweep, style.method, budget)),
                         yOf(sweep.getAccuracy(style.method, budget)));
    os << "\"/>";
    for (double budget : budgets)
      os << llvm::format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
                         "fill=\"%s\"/>",
                         xOf(getMedianBytes(sweep, style.method, budget)),
                         yOf(sweep.getAccuracy(style.method, budget)),
                         style.color.data());
    os << llvm::format("<line x1=\"700\" y1=\"%d\" x2=\"730\" y2=\"%d\" "
                       "stroke=\"%s\" stroke-width=\"2\"/><text x=\"738\" "
                       "y=\"%d\">%s</text>",
                       int(40 + 22 * index), int(40 + 22 * index),
                       style.color.data(), int(44 + 22 * index),
                       style.label.data());
  }
  for (llvm::StringRef method : {"uniform-int4", "uniform-int8"})
    if (const SweepPoint *point =
            findPoint(sweep, method, method == "uniform-int4" ? 0.5 : 1.0)) {
      double x = xOf(double(point->bytes)), y = yOf(point->accuracy);
      os << llvm::format("<path d=\"M%.1f %.1fl7 7l-7 7l-7 -7z\" "
                         "fill=\"#cf222e\"/><text x=\"%.1f\" y=\"%.1f\" "
                         "text-anchor=\"middle\">",
                         x, y - 7, x, y - 12)
         << method << "</text>";
    }
  os << "<text x=\"738\" y=\"110\"><tspan style=\"fill:#cf222e\">◆"
        "</tspan> uniform baselines</text><text x=\"738\" y=\"132\">"
        "<tspan style=\"fill:#d0d7de\">●</tspan> single random orders</text>";
  os << "</svg>\n<p style=\"font-size:13px\">Where the lines coincide, the "
        "methods chose the same assignment: a layer's weights are raised to "
        "int8 whole, so few assignments fit between two budgets when one "
        "layer holds most of the weights.</p>\n";

  // The numbers.
  os << "<h2>Accuracy by budget</h2>\n<table id=\"budgets\"><tr><th>method"
        "</th>";
  for (double budget : budgets)
    os << llvm::format("<th>%.3f</th>", budget);
  os << "</tr>";
  for (const MethodStyle &style : kMethods) {
    os << "<tr><td>" << style.label << "</td>";
    for (double budget : budgets)
      os << llvm::format("<td>%.4f<br><small>%.0f B</small></td>",
                         sweep.getAccuracy(style.method, budget),
                         getMedianBytes(sweep, style.method, budget));
    os << "</tr>";
  }
  os << "</table>\n<h2>Layer metrics</h2>\n<table id=\"metrics\"><tr><th>"
        "layer</th><th>weights</th><th>MACs</th><th>est. cycles</th><th>weight "
        "SQNR int8 / int4"
        "</th><th>output SQNR int8 / all-int4</th><th>SQNR drop</th><th>"
        "single-layer SQNR</th><th>zero inputs</th><th>input pairs with a zero"
        "</th><th>chosen</th></tr>";
  for (const SweepLayer &layer : sweep.layers) {
    os << "<tr><td>";
    printEscaped(os, layer.name);
    os << "</td><td>" << layer.weights << "</td><td>" << layer.macs
       << llvm::format("</td><td>%.0f", layer.cycles)
       << llvm::format("</td><td>%.1f / %.1f dB</td><td>%.1f / %.1f dB</td>"
                       "<td>%.1f dB</td><td>%.1f dB</td>",
                       layer.weightSqnr8, layer.weightSqnr4,
                       layer.activationSqnr8, layer.activationSqnr4,
                       layer.sqnrDrop, layer.singleLayerSqnr)
       << llvm::format("<td>%.1f%%</td><td>%.1f%%</td><td>int%u</td></tr>",
                       100 * layer.zeroFraction, 100 * layer.pairZeroFraction,
                       layer.chosenBits);
  }
  os << "</table>\n<p style=\"font-size:12px;color:#57606a\">Generated by "
        "TinyQ. The two-inference analysis ran "
     << sweep.inferences << " inferences; the single-layer baseline "
     << sweep.singleLayerInferences << ". " << sweep.evaluations
     << " distinct assignments were quantized and measured.</p>\n"
        "</body></html>\n";
}
