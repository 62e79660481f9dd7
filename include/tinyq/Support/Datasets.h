//===- Datasets.h - NumPy .npy and IDX (MNIST) files ------------*- C++ -*-===//
//
// Readers for the data formats tinyq-run takes, and a .npy writer. Plain
// C++17 plus zlib; every malformed or truncated file is an error message,
// never a crash.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_SUPPORT_DATASETS_H
#define TINYQ_SUPPORT_DATASETS_H

#include <cstdint>
#include <string>
#include <vector>

namespace tinyq {

enum class ElementKind {
  Float16,
  Float32,
  Float64,
  Bool,
  Int8,
  UInt8,
  Int16,
  UInt16,
  Int32,
  UInt32,
  Int64,
  UInt64,
};

/// Bytes per element.
size_t getElementSize(ElementKind kind);
/// Whether \p kind is a floating-point kind.
bool isFloatKind(ElementKind kind);
/// Element \p index of little-endian data of \p kind, as a double.
double readElement(ElementKind kind, const uint8_t *data, size_t index);
/// Stores \p value as element \p index (rounding to nearest, saturating
/// integers).
void writeElement(ElementKind kind, uint8_t *data, size_t index, double value);

/// A dense row-major array read from a file.
struct Array {
  ElementKind kind = ElementKind::Float32;
  std::vector<int64_t> shape;
  /// The elements' bytes, little-endian.
  std::vector<uint8_t> bytes;

  int64_t getNumElements() const;
  /// The elements converted to \p target; integer data converted to a
  /// float kind is multiplied by \p integerScale.
  Array convertTo(ElementKind target, double integerScale = 1.0) const;
  /// The elements converted to int64 (floats truncate).
  std::vector<int64_t> toIntegers() const;
};

/// Reads a .npy file (format versions 1-3, C order, little-endian numbers
/// and booleans), or an IDX file (gzipped or not) of signed or unsigned
/// bytes; the format is chosen by the file's first bytes. Returns an empty
/// string on success, else the reason.
std::string readArray(const std::string &path, Array &array);

/// Writes \p array as a version 1 .npy file.
std::string writeNpy(const std::string &path, const Array &array);

} // namespace tinyq

#endif // TINYQ_SUPPORT_DATASETS_H
