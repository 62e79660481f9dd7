//===- TinyQFrontend.td - Imported model nodes -------------*- tablegen -*-===//
//
// The importers stay generic: every ONNX node or TFLite operator becomes one
// `tinyq_frontend.node` carrying its operator name and attributes, located at
// the model's node name. Operator semantics live in conversion patterns keyed
// by (operator, version), which lit tests exercise without model files.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_DIALECT_TINYQFRONTEND_IR_TINYQFRONTEND_TD
#define TINYQ_DIALECT_TINYQFRONTEND_IR_TINYQFRONTEND_TD

include "mlir/IR/DialectBase.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def TinyQFrontend_Dialect : Dialect {
  let name = "tinyq_frontend";
  let cppNamespace = "::tinyq::frontend";
  let summary = "Generic operators of imported models";
  let description = [{
    What the ONNX and TFLite importers produce before any operator semantics
    are applied. A function holding imported nodes carries the attributes
    `tinyq_frontend.format` (`"onnx"` or `"tflite"`) and
    `tinyq_frontend.opset` (the ONNX default-domain opset; TFLite operators
    carry their own `version`).
  }];
}

class TinyQFrontend_Op<string mnemonic, list<Trait> traits = []>
    : Op<TinyQFrontend_Dialect, mnemonic, traits>;

def TinyQFrontend_NodeOp : TinyQFrontend_Op<"node"> {
  let summary = "One operator of an imported model";
  let description = [{
    `op_type` names the operator with its format as prefix (`onnx.Conv`,
    `tflite.CONV_2D`). The operator's own attributes are discardable
    attributes prefixed the same way (`onnx.strides`); ONNX INT attributes
    become `i64`, FLOAT `f32`, INTS `array<i64>`, FLOATS `array<f32>`,
    STRING a string and TENSOR a dense elements attribute. Missing optional
    inputs are `tinyq_frontend.none` values.

    Example:

    ```mlir
    %y = tinyq_frontend.node "onnx.Conv"(%x, %w, %b) {onnx.strides = array<i64: 1, 1>}
           : (tensor<1x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>) -> tensor<1x8x26x26xf32>
    ```
  }];
  let arguments = (ins StrAttr:$op_type, Variadic<AnyType>:$inputs);
  let results = (outs Variadic<AnyType>:$outputs);
  let assemblyFormat = [{
    $op_type `(` $inputs `)` attr-dict `:` functional-type($inputs, $outputs)
  }];
}

def TinyQFrontend_NoneOp : TinyQFrontend_Op<"none", [Pure]> {
  let summary = "A missing optional input";
  let results = (outs NoneType:$result);
  let assemblyFormat = "attr-dict";
}

#endif // TINYQ_DIALECT_TINYQFRONTEND_IR_TINYQFRONTEND_TD
