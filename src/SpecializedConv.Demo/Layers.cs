namespace SpecializedConv.Demo;

// The seed's three Keras examples.

/// <summary>Example 1: tf.pad by 2 on each side, then Conv2D(32, 3x3, strides 2, VALID, use_bias=False).</summary>
[Conv2D(28, 28, 3, 32, 3, Stride = 2, Pad = 2, UseBias = false)]
public partial class Example1;

/// <summary>Example 2: Conv2D(64, 3x3, dilation_rate 2, padding SAME).</summary>
[Conv2D(32, 32, 3, 64, 3, Dilation = 2, Padding = Padding.Same)]
public partial class Example2;

/// <summary>Example 3, as the seed writes it: DepthwiseConv2D(3x3, SAME), with its bias...</summary>
[DepthwiseConv2D(64, 64, 3, 3, Padding = Padding.Same)]
public partial class Example3Depthwise;

/// <summary>...then Conv2D(64, 1x1).</summary>
[Conv2D(64, 64, 3, 64, 1)]
public partial class Example3Pointwise;

/// <summary>Example 3 fused into one SeparableConv2D: the depthwise bias folds into the pointwise one.</summary>
[SeparableConv2D(64, 64, 3, 64, 3, Padding = Padding.Same)]
public partial class Example3Separable;

// A MobileNet-style network on 96x96 RGB: a stride-2 stem, then depthwise-separable blocks, each convolution
// followed by a batch normalization (folded into it) and ReLU6, as MobileNet v1 has them.

[Conv2D(96, 96, 3, 16, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class Stem;

[DepthwiseConv2D(48, 48, 16, 3, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class Block1Depthwise;

[Conv2D(48, 48, 16, 32, 1, Activation = Activation.Relu6)]
public partial class Block1Pointwise;

[DepthwiseConv2D(48, 48, 32, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class Block2Depthwise;

[Conv2D(24, 24, 32, 64, 1, Activation = Activation.Relu6)]
public partial class Block2Pointwise;

[DepthwiseConv2D(24, 24, 64, 3, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class Block3Depthwise;

[Conv2D(24, 24, 64, 64, 1, Activation = Activation.Relu6)]
public partial class Block3Pointwise;

[DepthwiseConv2D(24, 24, 64, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class Block4Depthwise;

[Conv2D(12, 12, 64, 128, 1, Activation = Activation.Relu6)]
public partial class Block4Pointwise;

[DepthwiseConv2D(12, 12, 128, 3, Padding = Padding.Same, Activation = Activation.Relu6)]
public partial class Block5Depthwise;

[Conv2D(12, 12, 128, 128, 1, Activation = Activation.Relu6)]
public partial class Block5Pointwise;
