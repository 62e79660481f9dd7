//===- Datasets.cpp - NumPy .npy and IDX (MNIST) files --------------------===//

#include "tinyq/Support/Datasets.h"

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

using namespace tinyq;

/// Files (or decompressed contents) larger than this are refused.
static constexpr size_t kMaxBytes = size_t(1) << 32;

static size_t elementSize(ElementKind kind) {
  switch (kind) {
  case ElementKind::UInt8:
  case ElementKind::Int8:
    return 1;
  case ElementKind::Float32:
  case ElementKind::Int32:
    return 4;
  case ElementKind::Int64:
    return 8;
  }
  return 1;
}

int64_t Array::getNumElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

std::vector<float> Array::toFloats(float scale) const {
  std::vector<float> result(getNumElements());
  for (size_t i = 0; i < result.size(); ++i) {
    switch (kind) {
    case ElementKind::Float32:
      std::memcpy(&result[i], &bytes[4 * i], 4);
      break;
    case ElementKind::UInt8:
      result[i] = float(bytes[i]) * scale;
      break;
    case ElementKind::Int8:
      result[i] = float(int8_t(bytes[i])) * scale;
      break;
    case ElementKind::Int32: {
      int32_t v;
      std::memcpy(&v, &bytes[4 * i], 4);
      result[i] = float(v) * scale;
      break;
    }
    case ElementKind::Int64: {
      int64_t v;
      std::memcpy(&v, &bytes[8 * i], 8);
      result[i] = float(v) * scale;
      break;
    }
    }
  }
  return result;
}

std::vector<int64_t> Array::toIntegers() const {
  std::vector<int64_t> result(getNumElements());
  for (size_t i = 0; i < result.size(); ++i) {
    switch (kind) {
    case ElementKind::UInt8:
      result[i] = bytes[i];
      break;
    case ElementKind::Int8:
      result[i] = int8_t(bytes[i]);
      break;
    case ElementKind::Int32: {
      int32_t v;
      std::memcpy(&v, &bytes[4 * i], 4);
      result[i] = v;
      break;
    }
    case ElementKind::Int64:
      std::memcpy(&result[i], &bytes[8 * i], 8);
      break;
    case ElementKind::Float32: {
      float v;
      std::memcpy(&v, &bytes[4 * i], 4);
      result[i] = int64_t(v);
      break;
    }
    }
  }
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
  stream.next_in =
      reinterpret_cast<Bytef *>(const_cast<char *>(input.data()));
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
    if (dim < 0 || (dim > 0 && count > std::numeric_limits<int64_t>::max() /
                                           dim))
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
    return "'" + path + "': only unsigned and signed byte IDX files are "
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
    return "'" + path + "': the IDX header declares " +
           std::to_string(count) + " bytes of data but the file holds " +
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
    return "'" + path + "': unsupported .npy version " +
           std::to_string(major);
  }
  if (data.size() < headerStart + headerLength)
    return "'" + path + "' is truncated";
  std::string header = data.substr(headerStart, headerLength);

  auto valueAfter = [&](const std::string &key) -> std::string {
    size_t at = header.find("'" + key + "'");
    if (at == std::string::npos)
      return {};
    size_t colon = header.find(':', at);
    return colon == std::string::npos ? std::string() : header.substr(colon + 1);
  };
  std::string descr = valueAfter("descr");
  size_t q1 = descr.find('\''), q2 = descr.find('\'', q1 + 1);
  if (q1 == std::string::npos || q2 == std::string::npos)
    return "'" + path + "': the .npy header has no 'descr'";
  descr = descr.substr(q1 + 1, q2 - q1 - 1);
  if (descr == "<f4")
    array.kind = ElementKind::Float32;
  else if (descr == "|u1" || descr == "<u1")
    array.kind = ElementKind::UInt8;
  else if (descr == "|i1" || descr == "<i1")
    array.kind = ElementKind::Int8;
  else if (descr == "<i4")
    array.kind = ElementKind::Int32;
  else if (descr == "<i8")
    array.kind = ElementKind::Int64;
  else
    return "'" + path + "': unsupported .npy element type '" + descr +
           "' (supported: <f4, |u1, |i1, <i4, <i8)";
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
  size_t size = elementSize(array.kind);
  if (!checkedCount(array.shape, count) ||
      uint64_t(count) > (data.size() - offset) / size ||
      uint64_t(count) * size != data.size() - offset)
    return "'" + path + "': the .npy header declares " +
           std::to_string(count) + " elements but the file holds " +
           std::to_string((data.size() - offset) / size);
  array.bytes.assign(data.begin() + offset, data.end());
  return {};
}

std::string tinyq::readArray(const std::string &path, Array &array) {
  std::string data;
  if (std::string error = readFile(path, data); !error.empty())
    return error;
  if (data.size() >= 2 && uint8_t(data[0]) == 0x1f && uint8_t(data[1]) == 0x8b) {
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

std::string tinyq::writeNpy(const std::string &path,
                            const std::vector<int64_t> &shape,
                            const std::vector<float> &data) {
  std::string dims;
  for (int64_t dim : shape)
    dims += std::to_string(dim) + ", ";
  if (shape.size() > 1)
    dims.resize(dims.size() - 1); // "(a, b)"; a 1-tuple keeps its comma
  std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
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
  file.write(reinterpret_cast<const char *>(data.data()),
             std::streamsize(data.size() * sizeof(float)));
  if (!file)
    return "cannot write '" + path + "'";
  return {};
}
