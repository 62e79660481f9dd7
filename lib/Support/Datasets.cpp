//===- Datasets.cpp - NumPy .npy and IDX (MNIST) files --------------------===//

#include "tinyq/Support/Datasets.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

using namespace tinyq;

/// Files (or decompressed contents) larger than this are refused.
static constexpr size_t kMaxBytes = size_t(1) << 32;

size_t tinyq::getElementSize(ElementKind kind) {
  switch (kind) {
  case ElementKind::Bool:
  case ElementKind::Int8:
  case ElementKind::UInt8:
    return 1;
  case ElementKind::Float16:
  case ElementKind::Int16:
  case ElementKind::UInt16:
    return 2;
  case ElementKind::Float32:
  case ElementKind::Int32:
  case ElementKind::UInt32:
    return 4;
  case ElementKind::Float64:
  case ElementKind::Int64:
  case ElementKind::UInt64:
    return 8;
  }
  return 1;
}

bool tinyq::isFloatKind(ElementKind kind) {
  return kind == ElementKind::Float16 || kind == ElementKind::Float32 ||
         kind == ElementKind::Float64;
}

/// IEEE binary16 to binary32, exactly.
static float halfToFloat(uint16_t half) {
  uint32_t sign = uint32_t(half & 0x8000) << 16;
  uint32_t exponent = (half >> 10) & 0x1f, mantissa = half & 0x3ff;
  if (exponent == 0)
    return (sign ? -1.0f : 1.0f) * std::ldexp(float(mantissa), -24);
  uint32_t bits = exponent == 0x1f
                      ? sign | 0x7f800000u | (mantissa << 13)
                      : sign | ((exponent + 112) << 23) | (mantissa << 13);
  float result;
  std::memcpy(&result, &bits, 4);
  return result;
}

/// binary32 to binary16, rounding to nearest even.
static uint16_t floatToHalf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  uint16_t sign = uint16_t((bits >> 16) & 0x8000);
  if (std::isnan(value))
    return sign | 0x7e00;
  float magnitude = std::fabs(value);
  if (magnitude >= 65520.0f)
    return sign | 0x7c00;
  if (magnitude < std::ldexp(1.0f, -14)) // subnormal: units of 2^-24
    return sign | uint16_t(std::nearbyint(magnitude * 16777216.0f));
  int exponent;
  float mantissa = std::frexp(magnitude, &exponent); // [0.5, 1)
  uint32_t fraction = uint32_t(std::nearbyint((mantissa * 2 - 1) * 1024));
  uint32_t biased = uint32_t(exponent - 1 + 15);
  if (fraction == 1024) {
    fraction = 0;
    ++biased;
  }
  return sign | uint16_t(biased << 10) | uint16_t(fraction);
}

template <typename T>
static T load(const uint8_t *data, size_t index) {
  T value;
  std::memcpy(&value, data + index * sizeof(T), sizeof(T));
  return value;
}

template <typename T>
static void store(uint8_t *data, size_t index, T value) {
  std::memcpy(data + index * sizeof(T), &value, sizeof(T));
}

template <typename T>
static T saturate(double value) {
  double rounded = std::nearbyint(value);
  if (std::isnan(rounded))
    return 0;
  rounded = std::max<double>(rounded, double(std::numeric_limits<T>::min()));
  rounded = std::min<double>(rounded, double(std::numeric_limits<T>::max()));
  return T(rounded);
}

double tinyq::readElement(ElementKind kind, const uint8_t *data, size_t index) {
  switch (kind) {
  case ElementKind::Float16:
    return halfToFloat(load<uint16_t>(data, index));
  case ElementKind::Float32:
    return load<float>(data, index);
  case ElementKind::Float64:
    return load<double>(data, index);
  case ElementKind::Bool:
    return data[index] != 0;
  case ElementKind::Int8:
    return load<int8_t>(data, index);
  case ElementKind::UInt8:
    return load<uint8_t>(data, index);
  case ElementKind::Int16:
    return load<int16_t>(data, index);
  case ElementKind::UInt16:
    return load<uint16_t>(data, index);
  case ElementKind::Int32:
    return load<int32_t>(data, index);
  case ElementKind::UInt32:
    return load<uint32_t>(data, index);
  case ElementKind::Int64:
    return double(load<int64_t>(data, index));
  case ElementKind::UInt64:
    return double(load<uint64_t>(data, index));
  }
  return 0;
}

void tinyq::writeElement(ElementKind kind, uint8_t *data, size_t index,
                         double value) {
  switch (kind) {
  case ElementKind::Float16:
    return store(data, index, floatToHalf(float(value)));
  case ElementKind::Float32:
    return store(data, index, float(value));
  case ElementKind::Float64:
    return store(data, index, value);
  case ElementKind::Bool:
    return store(data, index, uint8_t(value != 0));
  case ElementKind::Int8:
    return store(data, index, saturate<int8_t>(value));
  case ElementKind::UInt8:
    return store(data, index, saturate<uint8_t>(value));
  case ElementKind::Int16:
    return store(data, index, saturate<int16_t>(value));
  case ElementKind::UInt16:
    return store(data, index, saturate<uint16_t>(value));
  case ElementKind::Int32:
    return store(data, index, saturate<int32_t>(value));
  case ElementKind::UInt32:
    return store(data, index, saturate<uint32_t>(value));
  case ElementKind::Int64:
    return store(data, index, saturate<int64_t>(value));
  case ElementKind::UInt64:
    return store(data, index, saturate<uint64_t>(value));
  }
}

int64_t Array::getNumElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

Array Array::convertTo(ElementKind target, double integerScale) const {
  if (target == kind)
    return *this;
  Array result;
  result.kind = target;
  result.shape = shape;
  size_t count = size_t(getNumElements());
  result.bytes.resize(count * getElementSize(target));
  double scale = !isFloatKind(kind) && isFloatKind(target) ? integerScale : 1;
  for (size_t i = 0; i < count; ++i)
    writeElement(target, result.bytes.data(), i,
                 readElement(kind, bytes.data(), i) * scale);
  return result;
}

std::vector<int64_t> Array::toIntegers() const {
  std::vector<int64_t> result(getNumElements());
  for (size_t i = 0; i < result.size(); ++i)
    result[i] = int64_t(readElement(kind, bytes.data(), i));
  return result;
}

static std::string readFile(const std::string &path, std::string &contents) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return "cannot open '" + path + "'";
  file.seekg(0, std::ios::end);
  std::streamoff size = file.tellg();
  if (size < 0 || size_t(size) > kMaxBytes)
    return "'" + path + "' is too large";
  contents.resize(size_t(size));
  file.seekg(0);
  file.read(contents.data(), size);
  if (!file)
    return "cannot read '" + path + "'";
  return {};
}

static std::string gunzip(const std::string &path, const std::string &input,
                          std::string &output) {
  z_stream stream;
  std::memset(&stream, 0, sizeof(stream));
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
    return "zlib initialization failed";
  stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.data()));
  stream.avail_in = uInt(input.size());
  output.clear();
  char chunk[1 << 16];
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef *>(chunk);
    stream.avail_out = sizeof(chunk);
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      inflateEnd(&stream);
      return "'" + path + "' is not a valid gzip file";
    }
    output.append(chunk, sizeof(chunk) - stream.avail_out);
    if (output.size() > kMaxBytes) {
      inflateEnd(&stream);
      return "'" + path + "' decompresses to more than 4 GiB";
    }
    if (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
      inflateEnd(&stream);
      return "'" + path + "' is truncated";
    }
  }
  inflateEnd(&stream);
  return {};
}

/// Multiplies dims into a count, refusing overflow.
static bool checkedCount(const std::vector<int64_t> &shape, int64_t &count) {
  count = 1;
  for (int64_t dim : shape) {
    if (dim < 0 ||
        (dim > 0 && count > std::numeric_limits<int64_t>::max() / dim))
      return false;
    count *= dim;
  }
  return true;
}

static std::string parseIdx(const std::string &path, const std::string &data,
                            Array &array) {
  if (data.size() < 4)
    return "'" + path + "' is truncated";
  uint8_t type = uint8_t(data[2]), rank = uint8_t(data[3]);
  if (type != 0x08 && type != 0x09)
    return "'" + path +
           "': only unsigned and signed byte IDX files are "
           "supported";
  if (rank == 0 || rank > 8 || data.size() < 4 + 4 * size_t(rank))
    return "'" + path + "' has an invalid IDX header";
  array.kind = type == 0x08 ? ElementKind::UInt8 : ElementKind::Int8;
  array.shape.clear();
  for (int i = 0; i < rank; ++i) {
    const auto *p = reinterpret_cast<const uint8_t *>(data.data() + 4 + 4 * i);
    array.shape.push_back(int64_t(p[0]) << 24 | int64_t(p[1]) << 16 |
                          int64_t(p[2]) << 8 | int64_t(p[3]));
  }
  int64_t count;
  size_t offset = 4 + 4 * size_t(rank);
  if (!checkedCount(array.shape, count) ||
      uint64_t(count) != data.size() - offset)
    return "'" + path + "': the IDX header declares " + std::to_string(count) +
           " bytes of data but the file holds " +
           std::to_string(data.size() - offset);
  array.bytes.assign(data.begin() + offset, data.end());
  return {};
}

static std::string parseNpy(const std::string &path, const std::string &data,
                            Array &array) {
  if (data.size() < 10)
    return "'" + path + "' is truncated";
  uint8_t major = uint8_t(data[6]);
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = uint8_t(data[8]) | size_t(uint8_t(data[9])) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (data.size() < 12)
      return "'" + path + "' is truncated";
    headerLength = uint8_t(data[8]) | size_t(uint8_t(data[9])) << 8 |
                   size_t(uint8_t(data[10])) << 16 |
                   size_t(uint8_t(data[11])) << 24;
    headerStart = 12;
  } else {
    return "'" + path + "': unsupported .npy version " + std::to_string(major);
  }
  if (data.size() < headerStart + headerLength)
    return "'" + path + "' is truncated";
  std::string header = data.substr(headerStart, headerLength);

  auto valueAfter = [&](const std::string &key) -> std::string {
    size_t at = header.find("'" + key + "'");
    if (at == std::string::npos)
      return {};
    size_t colon = header.find(':', at);
    return colon == std::string::npos ? std::string()
                                      : header.substr(colon + 1);
  };
  std::string descr = valueAfter("descr");
  size_t q1 = descr.find('\''), q2 = descr.find('\'', q1 + 1);
  if (q1 == std::string::npos || q2 == std::string::npos)
    return "'" + path + "': the .npy header has no 'descr'";
  descr = descr.substr(q1 + 1, q2 - q1 - 1);
  static const std::pair<const char *, ElementKind> kinds[] = {
      {"<f2", ElementKind::Float16}, {"<f4", ElementKind::Float32},
      {"<f8", ElementKind::Float64}, {"|b1", ElementKind::Bool},
      {"|i1", ElementKind::Int8},    {"<i1", ElementKind::Int8},
      {"|u1", ElementKind::UInt8},   {"<u1", ElementKind::UInt8},
      {"<i2", ElementKind::Int16},   {"<u2", ElementKind::UInt16},
      {"<i4", ElementKind::Int32},   {"<u4", ElementKind::UInt32},
      {"<i8", ElementKind::Int64},   {"<u8", ElementKind::UInt64}};
  bool known = false;
  for (const auto &[name, kind] : kinds)
    if (descr == name) {
      array.kind = kind;
      known = true;
    }
  if (!known)
    return "'" + path + "': unsupported .npy element type '" + descr +
           "' (supported: little-endian floats, integers and booleans)";
  std::string fortran = valueAfter("fortran_order");
  if (fortran.find("True") != std::string::npos &&
      fortran.find("True") < fortran.find(','))
    return "'" + path + "': Fortran-order .npy files are not supported";
  std::string shape = valueAfter("shape");
  size_t open = shape.find('('), close = shape.find(')');
  if (open == std::string::npos || close == std::string::npos || close < open)
    return "'" + path + "': the .npy header has no 'shape'";
  array.shape.clear();
  std::stringstream dims(shape.substr(open + 1, close - open - 1));
  std::string item;
  while (std::getline(dims, item, ',')) {
    size_t first = item.find_first_not_of(" L");
    if (first == std::string::npos)
      continue;
    char *end = nullptr;
    long long dim = std::strtoll(item.c_str() + first, &end, 10);
    if (end == item.c_str() + first || dim < 0)
      return "'" + path + "': invalid .npy shape";
    array.shape.push_back(dim);
  }
  int64_t count;
  size_t offset = headerStart + headerLength;
  size_t size = getElementSize(array.kind);
  if (!checkedCount(array.shape, count) ||
      uint64_t(count) > (data.size() - offset) / size ||
      uint64_t(count) * size != data.size() - offset)
    return "'" + path + "': the .npy header declares " + std::to_string(count) +
           " elements but the file holds " +
           std::to_string((data.size() - offset) / size);
  array.bytes.assign(data.begin() + offset, data.end());
  return {};
}

std::string tinyq::readArray(const std::string &path, Array &array) {
  std::string data;
  if (std::string error = readFile(path, data); !error.empty())
    return error;
  if (data.size() >= 2 && uint8_t(data[0]) == 0x1f &&
      uint8_t(data[1]) == 0x8b) {
    std::string inflated;
    if (std::string error = gunzip(path, data, inflated); !error.empty())
      return error;
    data.swap(inflated);
  }
  if (data.size() >= 6 && std::memcmp(data.data(), "\x93NUMPY", 6) == 0)
    return parseNpy(path, data, array);
  if (data.size() >= 4 && data[0] == 0 && data[1] == 0)
    return parseIdx(path, data, array);
  return "'" + path + "' is neither a .npy nor an IDX file";
}

static const char *getDescr(ElementKind kind) {
  switch (kind) {
  case ElementKind::Float16:
    return "<f2";
  case ElementKind::Float32:
    return "<f4";
  case ElementKind::Float64:
    return "<f8";
  case ElementKind::Bool:
    return "|b1";
  case ElementKind::Int8:
    return "|i1";
  case ElementKind::UInt8:
    return "|u1";
  case ElementKind::Int16:
    return "<i2";
  case ElementKind::UInt16:
    return "<u2";
  case ElementKind::Int32:
    return "<i4";
  case ElementKind::UInt32:
    return "<u4";
  case ElementKind::Int64:
    return "<i8";
  case ElementKind::UInt64:
    return "<u8";
  }
  return "<f4";
}

std::string tinyq::writeNpy(const std::string &path, const Array &array) {
  std::string dims;
  for (int64_t dim : array.shape)
    dims += std::to_string(dim) + ", ";
  if (array.shape.size() > 1)
    dims.resize(dims.size() - 1); // "(a, b,)"; a 1-tuple keeps "(a, )"
  std::string header = std::string("{'descr': '") + getDescr(array.kind) +
                       "', 'fortran_order': False, 'shape': (" + dims + "), }";
  // Magic (6) + version (2) + length (2) + header, padded to 64 bytes.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::ofstream file(path, std::ios::binary);
  if (!file)
    return "cannot write '" + path + "'";
  uint16_t length = uint16_t(header.size());
  file.write("\x93NUMPY\x01\x00", 8);
  char lengthBytes[2] = {char(length & 0xff), char(length >> 8)};
  file.write(lengthBytes, 2);
  file << header;
  file.write(reinterpret_cast<const char *>(array.bytes.data()),
             std::streamsize(array.bytes.size()));
  if (!file)
    return "cannot write '" + path + "'";
  return {};
}
