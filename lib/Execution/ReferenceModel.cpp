//===- ReferenceModel.cpp - Evaluate an integer model exactly -------------===//

#include "tinyq/Execution/ReferenceModel.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Utils/Indexing.h"
#include "tinyq/Dialect/TinyQ/Utils/NumericsBridge.h"
#include "tinyq/Numerics/FixedPoint.h"
#include "tinyq/Numerics/QuantParams.h"
#include "tinyq/Numerics/Reference.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace tinyq;
namespace reference = tinyq::numerics::reference;
using Buffer = ReferenceModel::Buffer;

ReferenceModel::~ReferenceModel() = default;

namespace {
/// How a tensor type is held during evaluation.
enum class Storage { Narrow, Wide, Real };

std::optional<Storage> getStorage(Type type) {
  Type element = getElementTypeOrSelf(type);
  if (auto quantized = dyn_cast<quant::QuantizedType>(element))
    element = quantized.getStorageType();
  if (element.isF32())
    return Storage::Real;
  if (auto integer = dyn_cast<IntegerType>(element)) {
    if (integer.getWidth() <= 8)
      return Storage::Narrow;
    if (integer.getWidth() == 32)
      return Storage::Wide;
  }
  return std::nullopt;
}

ArrayRef<int64_t> getShape(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

int64_t getNumElements(Value value) {
  return cast<RankedTensorType>(value.getType()).getNumElements();
}

reference::Shape4 getShape4(Value value) {
  ArrayRef<int64_t> shape = getShape(value);
  return {shape[0], shape[1], shape[2], shape[3]};
}

/// The per-tensor parameters of a uniform quantized element type.
std::optional<std::pair<numerics::QuantParams, numerics::IntegerRange>>
getPerTensorParams(Type type) {
  auto uniform =
      dyn_cast<quant::UniformQuantizedType>(getElementTypeOrSelf(type));
  if (!uniform)
    return std::nullopt;
  return std::make_pair(
      numerics::QuantParams{float(uniform.getScale()),
                            int32_t(uniform.getZeroPoint())},
      numerics::IntegerRange{int32_t(uniform.getStorageTypeMin()),
                             int32_t(uniform.getStorageTypeMax())});
}

Buffer convertConstant(DenseElementsAttr attr) {
  Buffer buffer;
  if (isa<FloatType>(attr.getElementType())) {
    for (APFloat value : attr.getValues<APFloat>())
      buffer.real.push_back(value.convertToFloat());
  } else if (attr.getElementType().getIntOrFloatBitWidth() <= 8) {
    for (APInt value : attr.getValues<APInt>())
      buffer.narrow.push_back(int8_t(value.getSExtValue()));
  } else {
    for (APInt value : attr.getValues<APInt>())
      buffer.wide.push_back(int32_t(value.getSExtValue()));
  }
  return buffer;
}

/// Whether the evaluator knows \p op, with the reason it does not.
LogicalResult checkSupported(Operation *op) {
  if (isa<tosa::ConstShapeOp, func::ReturnOp>(op))
    return success();
  if (op->getNumRegions() != 0)
    return op->emitError("the reference evaluator does not run regions");
  for (Type type :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!isa<tosa::shapeType>(type) &&
        (!tensor || !tensor.hasStaticShape() || !getStorage(type)))
      return op->emitError("the reference evaluator takes statically shaped "
                           "tensors of f32 or integers of up to 8 or of 32 "
                           "bits; '")
             << op->getName() << "' has " << type;
  }
  if (isa<quant::QuantizeCastOp>(op) &&
      !getPerTensorParams(op->getResult(0).getType()))
    return op->emitError("the reference evaluator quantizes per tensor only");
  if (isa<quant::DequantizeCastOp>(op) &&
      !getPerTensorParams(op->getOperand(0).getType()))
    return op->emitError("the reference evaluator dequantizes per tensor only");
  if (isa<tosa::ConstOp, arith::ConstantOp>(op) &&
      !isa<DenseElementsAttr>(
          op->getAttr(isa<tosa::ConstOp>(op) ? "values" : "value")))
    return op->emitError("the reference evaluator takes dense constants only");
  if (isa<tosa::MaxPool2dOp>(op) &&
      getStorage(op->getOperand(0).getType()) != Storage::Narrow)
    return op->emitError(
        "the reference evaluator runs max pooling on integers only");
  // The float island of a quantized softmax: float32 only.
  if (isa<tosa::ReduceMaxOp, tosa::ReduceSumOp, tosa::SubOp, tosa::MulOp,
          tosa::ExpOp, tosa::ReciprocalOp>(op) &&
      getStorage(op->getResult(0).getType()) != Storage::Real)
    return op->emitError("the reference evaluator runs '")
           << op->getName() << "' on float32 only";
  if (isa<tosa::ConcatOp, tosa::PadOp>(op) &&
      getStorage(op->getResult(0).getType()) != Storage::Narrow)
    return op->emitError("the reference evaluator runs '")
           << op->getName() << "' on integers of up to 8 bits only";
  if (auto pad = dyn_cast<tosa::PadOp>(op)) {
    DenseIntElementsAttr value;
    auto shape = pad.getPadding().getDefiningOp<tosa::ConstShapeOp>();
    if (!shape || !matchPattern(pad.getPadConst(), m_Constant(&value)))
      return op->emitError("the reference evaluator pads by constants only");
  }
  if (auto dw = dyn_cast<tinyq::DepthwiseConv2DOp>(op))
    if (getShape(dw.getWeights())[2] % getShape(dw.getInput())[3] != 0)
      return op->emitError("inconsistent depthwise channels");
  if (auto sparq = dyn_cast<tinyq::SparqOp>(op))
    if (!sparq.getType().getElementType().isInteger(8) ||
        sparq.getType().getRank() == 0)
      return op->emitError("the reference evaluator applies SPARQ to ranked "
                           "i8 tensors only");
  if (isa<tosa::ConstOp, arith::ConstantOp, quant::QuantizeCastOp,
          quant::DequantizeCastOp, quant::StorageCastOp, tosa::ReshapeOp,
          tosa::TransposeOp, tosa::MaxPool2dOp, tinyq::Conv2DOp,
          tinyq::DepthwiseConv2DOp, tinyq::FullyConnectedOp, tinyq::AddOp,
          tinyq::AvgPool2DOp, tosa::ConcatOp, tosa::PadOp, tosa::ReduceMaxOp,
          tosa::ReduceSumOp, tosa::SubOp, tosa::MulOp, tosa::ExpOp,
          tosa::ReciprocalOp, tinyq::RequantizeOp, tinyq::SparqOp>(op))
    return success();
  return op->emitError("the reference evaluator does not support '")
         << op->getName() << "'";
}

/// The window of a convolution or pooling op.
reference::WindowParams getWindow(ArrayRef<int64_t> kernel,
                                  ArrayRef<int64_t> stride,
                                  ArrayRef<int64_t> dilation,
                                  ArrayRef<int64_t> pad) {
  reference::WindowParams window;
  window.kernelH = kernel[0];
  window.kernelW = kernel[1];
  window.strideH = stride[0];
  window.strideW = stride[1];
  window.dilationH = dilation[0];
  window.dilationW = dilation[1];
  window.padTop = pad[0];
  window.padBottom = pad[1];
  window.padLeft = pad[2];
  window.padRight = pad[3];
  return window;
}

/// The requantization parameters shared by the integer layers.
template <typename LayerOp>
std::pair<std::vector<numerics::QuantizedMultiplier>, reference::OutputParams>
getLayerParams(LayerOp op) {
  std::vector<numerics::QuantizedMultiplier> multipliers;
  for (auto [multiplier, shift] : llvm::zip(op.getMultiplier(), op.getShift()))
    multipliers.push_back({multiplier, shift});
  reference::OutputParams output;
  output.inputZeroPoint = op.getInputZeroPoint();
  output.outputZeroPoint = op.getOutputZeroPoint();
  output.clampMin = op.getClampMin();
  output.clampMax = op.getClampMax();
  if (SparqAttr sparq = op.getSparqAttr())
    output.sparq = getSparqConfig(sparq);
  return {std::move(multipliers), output};
}

/// Row-major strides of \p shape.
SmallVector<int64_t> getStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// The elementwise \p fn of two float tensors of equal rank, broadcasting
/// dimensions of size 1 (TOSA's rule).
template <typename Fn>
std::vector<float>
broadcastBinary(const std::vector<float> &lhs, ArrayRef<int64_t> lhsShape,
                const std::vector<float> &rhs, ArrayRef<int64_t> rhsShape,
                ArrayRef<int64_t> shape, Fn fn) {
  SmallVector<int64_t> lhsStrides = getStrides(lhsShape),
                       rhsStrides = getStrides(rhsShape);
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  std::vector<float> result(count);
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t flat = 0; flat < count; ++flat) {
    int64_t l = 0, r = 0;
    for (size_t d = 0; d < shape.size(); ++d) {
      l += (lhsShape[d] == 1 ? 0 : index[d]) * lhsStrides[d];
      r += (rhsShape[d] == 1 ? 0 : index[d]) * rhsStrides[d];
    }
    result[flat] = fn(lhs[l], rhs[r]);
    for (int64_t d = int64_t(shape.size()) - 1;
         d >= 0 && ++index[d] == shape[d]; --d)
      index[d] = 0;
  }
  return result;
}

/// Reduces float \p input of \p shape along \p axis with \p fn, in index
/// order from the first element (the order of the compiled loops).
template <typename Fn>
std::vector<float> reduce(const std::vector<float> &input,
                          ArrayRef<int64_t> shape, int64_t axis, Fn fn) {
  int64_t inner = getStrides(shape)[axis], extent = shape[axis];
  int64_t outer = int64_t(input.size()) / (inner * extent);
  std::vector<float> result(outer * inner);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      float acc = input[o * extent * inner + i];
      for (int64_t k = 1; k < extent; ++k)
        acc = fn(acc, input[(o * extent + k) * inner + i]);
      result[o * inner + i] = acc;
    }
  return result;
}

/// Evaluates one function call.
class Evaluation {
public:
  explicit Evaluation(const DenseMap<Value, Buffer> &constants)
      : constants(constants) {}

  const Buffer &get(Value value) const {
    auto constant = constants.find(value);
    if (constant != constants.end())
      return constant->second;
    return values.find(value)->second;
  }
  void set(Value value, Buffer buffer) { values[value] = std::move(buffer); }

  void evaluate(Operation *op);

private:
  const DenseMap<Value, Buffer> &constants;
  DenseMap<Value, Buffer> values;
};

void Evaluation::evaluate(Operation *op) {
  Buffer result;
  Value output = op->getNumResults() == 1 ? op->getResult(0) : Value();
  llvm::TypeSwitch<Operation *>(op)
      .Case([&](quant::QuantizeCastOp cast) {
        auto [params, range] = *getPerTensorParams(cast.getType());
        for (float x : get(cast.getInput()).real)
          result.narrow.push_back(int8_t(numerics::quantize(x, params, range)));
      })
      .Case([&](quant::DequantizeCastOp cast) {
        auto [params, range] = *getPerTensorParams(cast.getInput().getType());
        for (int8_t q : get(cast.getInput()).narrow)
          result.real.push_back(numerics::dequantize(q, params));
      })
      .Case<quant::StorageCastOp, tosa::ReshapeOp>(
          [&](Operation *) { result = get(op->getOperand(0)); })
      .Case([&](tosa::TransposeOp transpose) {
        const Buffer &input = get(transpose.getInput1());
        std::vector<int64_t> sources = reference::getTransposeSources(
            toSpan(getShape(transpose.getInput1())),
            toSpan(transpose.getPerms()));
        auto gather = [&](auto &from, auto &to) {
          for (int64_t source : sources)
            to.push_back(from[source]);
        };
        if (!input.narrow.empty())
          gather(input.narrow, result.narrow);
        else if (!input.wide.empty())
          gather(input.wide, result.wide);
        else
          gather(input.real, result.real);
      })
      .Case([&](tosa::MaxPool2dOp pool) {
        result.narrow.resize(getNumElements(pool.getOutput()));
        const int64_t unit[] = {1, 1};
        reference::maxPool2d(
            get(pool.getInput()).narrow, getShape4(pool.getInput()),
            getWindow(pool.getKernel(), pool.getStride(), unit, pool.getPad()),
            result.narrow);
      })
      .Case([&](tinyq::Conv2DOp conv) {
        result.narrow.resize(getNumElements(conv.getOutput()));
        ArrayRef<int64_t> weights = getShape(conv.getWeights());
        auto [multipliers, params] = getLayerParams(conv);
        reference::conv2d(get(conv.getInput()).narrow,
                          getShape4(conv.getInput()),
                          get(conv.getWeights()).narrow, weights[0],
                          get(conv.getBias()).wide, multipliers,
                          getWindow(weights.slice(1, 2), conv.getStride(),
                                    conv.getDilation(), conv.getPad()),
                          params, result.narrow);
      })
      .Case([&](tinyq::DepthwiseConv2DOp conv) {
        result.narrow.resize(getNumElements(conv.getOutput()));
        ArrayRef<int64_t> weights = getShape(conv.getWeights());
        auto [multipliers, params] = getLayerParams(conv);
        reference::Shape4 input = getShape4(conv.getInput());
        reference::depthwiseConv2d(
            get(conv.getInput()).narrow, input, get(conv.getWeights()).narrow,
            weights[2] / input.c, get(conv.getBias()).wide, multipliers,
            getWindow(weights.take_front(2), conv.getStride(),
                      conv.getDilation(), conv.getPad()),
            params, result.narrow);
      })
      .Case([&](tinyq::FullyConnectedOp fc) {
        result.narrow.resize(getNumElements(fc.getOutput()));
        ArrayRef<int64_t> input = getShape(fc.getInput());
        auto [multipliers, params] = getLayerParams(fc);
        reference::fullyConnected(
            get(fc.getInput()).narrow, input[0], input[1],
            get(fc.getWeights()).narrow, getShape(fc.getWeights())[0],
            get(fc.getBias()).wide, multipliers, params, result.narrow);
      })
      .Case([&](tinyq::AvgPool2DOp pool) {
        result.narrow.resize(getNumElements(pool.getOutput()));
        const int64_t unit[] = {1, 1};
        reference::OutputParams params;
        params.inputZeroPoint = pool.getInputZeroPoint();
        params.outputZeroPoint = pool.getOutputZeroPoint();
        params.clampMin = pool.getClampMin();
        params.clampMax = pool.getClampMax();
        reference::avgPool2d(
            get(pool.getInput()).narrow, getShape4(pool.getInput()),
            getWindow(pool.getKernel(), pool.getStride(), unit, pool.getPad()),
            {pool.getMultiplier()[0], pool.getShift()[0]}, params,
            result.narrow);
      })
      .Case([&](tinyq::AddOp add) {
        result.narrow.resize(getNumElements(add.getOutput()));
        reference::AddParams params;
        params.lhsZeroPoint = add.getLhsZeroPoint();
        params.rhsZeroPoint = add.getRhsZeroPoint();
        params.outputZeroPoint = add.getOutputZeroPoint();
        params.leftShift = add.getLeftShift();
        params.lhsMultiplier = {add.getMultiplier()[0], add.getShift()[0]};
        params.rhsMultiplier = {add.getMultiplier()[1], add.getShift()[1]};
        params.outputMultiplier = {add.getMultiplier()[2], add.getShift()[2]};
        params.clampMin = add.getClampMin();
        params.clampMax = add.getClampMax();
        reference::add(get(add.getLhs()).narrow, get(add.getRhs()).narrow,
                       params, result.narrow);
      })
      .Case([&](tinyq::RequantizeOp requantize) {
        std::optional<uint64_t> axis = requantize.getAxis();
        AxisIndexer channelOf(getShape(requantize.getInput()),
                              axis ? std::optional<int64_t>(*axis)
                                   : std::nullopt);
        const Buffer &buffer = get(requantize.getInput());
        std::vector<int32_t> input(buffer.wide);
        if (input.empty())
          input.assign(buffer.narrow.begin(), buffer.narrow.end());
        int32_t inputZeroPoint = requantize.getInputZeroPoint();
        for (auto [index, x] : llvm::enumerate(input)) {
          int64_t channel = channelOf(index);
          result.narrow.push_back(int8_t(numerics::requantize(
              x - inputZeroPoint,
              {requantize.getMultiplier()[channel],
               requantize.getShift()[channel]},
              requantize.getZeroPoint(), requantize.getClampMin(),
              requantize.getClampMax())));
        }
      })
      .Case([&](tinyq::SparqOp sparq) {
        const std::vector<int8_t> &input = get(sparq.getInput()).narrow;
        std::vector<int64_t> stored(input.begin(), input.end());
        numerics::applySparqToStorage({stored.data(), stored.size()},
                                      size_t(getShape(sparq.getInput()).back()),
                                      sparq.getZeroPoint(), -128, 127,
                                      getSparqConfig(sparq.getConfig()));
        result.narrow.assign(stored.begin(), stored.end());
      })
      .Case([&](tosa::ConcatOp concat) {
        // Row-major: for each index of the dimensions before the axis, the
        // inputs' contiguous blocks one after the other.
        uint32_t axis = concat.getAxis();
        ArrayRef<int64_t> outShape = getShape(concat.getOutput());
        int64_t outer = 1;
        for (int64_t dim : outShape.take_front(axis))
          outer *= dim;
        for (int64_t o = 0; o < outer; ++o)
          for (Value input : concat.getInput1()) {
            const std::vector<int8_t> &values = get(input).narrow;
            int64_t block = int64_t(values.size()) / outer;
            result.narrow.insert(result.narrow.end(),
                                 values.begin() + o * block,
                                 values.begin() + (o + 1) * block);
          }
      })
      .Case([&](tosa::PadOp pad) {
        auto shape = pad.getPadding().getDefiningOp<tosa::ConstShapeOp>();
        SmallVector<int64_t> padding;
        for (APInt value :
             cast<DenseIntElementsAttr>(shape.getValues()).getValues<APInt>())
          padding.push_back(value.getSExtValue());
        DenseIntElementsAttr padValue;
        matchPattern(pad.getPadConst(), m_Constant(&padValue));
        int8_t fill =
            int8_t((*padValue.getValues<APInt>().begin()).getSExtValue());
        ArrayRef<int64_t> inShape = getShape(pad.getInput1()),
                          outShape = getShape(pad.getOutput());
        SmallVector<int64_t> inStrides = getStrides(inShape);
        const std::vector<int8_t> &input = get(pad.getInput1()).narrow;
        int64_t count = getNumElements(pad.getOutput());
        result.narrow.assign(count, fill);
        SmallVector<int64_t> index(outShape.size(), 0);
        for (int64_t flat = 0; flat < count; ++flat) {
          int64_t source = 0;
          bool inside = true;
          for (size_t d = 0; d < outShape.size(); ++d) {
            int64_t at = index[d] - padding[2 * d];
            inside &= at >= 0 && at < inShape[d];
            source += at * inStrides[d];
          }
          if (inside)
            result.narrow[flat] = input[source];
          for (int64_t d = int64_t(outShape.size()) - 1;
               d >= 0 && ++index[d] == outShape[d]; --d)
            index[d] = 0;
        }
      })
      .Case<tosa::SubOp, tosa::MulOp>([&](Operation *binary) {
        Value lhs = binary->getOperand(0), rhs = binary->getOperand(1);
        bool isSub = isa<tosa::SubOp>(binary);
        result.real = broadcastBinary(
            get(lhs).real, getShape(lhs), get(rhs).real, getShape(rhs),
            getShape(binary->getResult(0)),
            [&](float a, float b) { return isSub ? a - b : a * b; });
      })
      .Case([&](tosa::ExpOp exp) {
        for (float x : get(exp.getInput1()).real)
          result.real.push_back(std::exp(x));
      })
      .Case([&](tosa::ReciprocalOp reciprocal) {
        for (float x : get(reciprocal.getInput1()).real)
          result.real.push_back(1.0f / x);
      })
      .Case([&](tosa::ReduceMaxOp max) {
        result.real = reduce(get(max.getInput()).real, getShape(max.getInput()),
                             max.getAxis(),
                             [](float a, float b) { return std::max(a, b); });
      })
      .Case([&](tosa::ReduceSumOp sum) {
        result.real =
            reduce(get(sum.getInput()).real, getShape(sum.getInput()),
                   sum.getAxis(), [](float a, float b) { return a + b; });
      })
      .Default([&](Operation *) { output = Value(); });
  if (output)
    set(output, std::move(result));
}
} // namespace

llvm::Expected<std::unique_ptr<ReferenceModel>>
ReferenceModel::create(ModuleOp module, StringRef entry) {
  std::unique_ptr<ReferenceModel> model(new ReferenceModel());
  model->module = cast<ModuleOp>(module->clone());
  model->function = model->module->lookupSymbol<func::FuncOp>(entry);
  if (!model->function || model->function.isExternal())
    return llvm::createStringError("no function '%s' with a body",
                                   entry.str().c_str());
  if (llvm::Error error =
          readSignature(model->function, model->inputs, model->outputs))
    return std::move(error);
  for (const TensorSignature &sig :
       llvm::concat<TensorSignature>(model->inputs, model->outputs))
    if (sig.kind != ElementKind::Float32 && sig.kind != ElementKind::Int8)
      return llvm::createStringError(
          "the reference evaluator takes f32 or i8 inputs and outputs ('%s' "
          "is neither)",
          sig.name.c_str());
  if (!model->function.getBody().hasOneBlock())
    return llvm::createStringError(
        "the reference evaluator runs single-block functions");

  if (llvm::Error error =
          collectDiagnostics(module.getContext(), "", [&]() -> LogicalResult {
            for (Operation &op : model->function.getBody().front())
              if (failed(checkSupported(&op)))
                return failure();
            return success();
          }))
    return std::move(error);
  for (Operation &op : model->function.getBody().front()) {
    DenseElementsAttr values;
    if (auto constant = dyn_cast<tosa::ConstOp>(op))
      values = cast<DenseElementsAttr>(constant.getValues());
    else if (auto constant = dyn_cast<arith::ConstantOp>(op))
      values = cast<DenseElementsAttr>(constant.getValue());
    if (values)
      model->constants[op.getResult(0)] = convertConstant(values);
  }
  return model;
}

llvm::Error ReferenceModel::run(ArrayRef<const void *> inputData,
                                ArrayRef<void *> outputData) {
  if (inputData.size() != inputs.size() || outputData.size() != outputs.size())
    return llvm::createStringError("expected %zu inputs and %zu outputs",
                                   inputs.size(), outputs.size());
  Evaluation evaluation(constants);
  Block &body = function.getBody().front();
  for (auto [index, sig] : llvm::enumerate(inputs)) {
    Buffer buffer;
    size_t count = size_t(sig.getNumElements());
    if (sig.kind == ElementKind::Float32) {
      buffer.real.resize(count);
      std::memcpy(buffer.real.data(), inputData[index], count * sizeof(float));
    } else {
      buffer.narrow.resize(count);
      std::memcpy(buffer.narrow.data(), inputData[index], count);
    }
    evaluation.set(body.getArgument(index), std::move(buffer));
  }
  for (Operation &op : body.without_terminator())
    if (!constants.count(op.getNumResults() ? op.getResult(0) : Value()))
      evaluation.evaluate(&op);
  for (auto [index, result] :
       llvm::enumerate(body.getTerminator()->getOperands())) {
    const Buffer &buffer = evaluation.get(result);
    if (outputs[index].kind == ElementKind::Float32)
      std::memcpy(outputData[index], buffer.real.data(),
                  buffer.real.size() * sizeof(float));
    else
      std::memcpy(outputData[index], buffer.narrow.data(),
                  buffer.narrow.size());
  }
  return llvm::Error::success();
}
