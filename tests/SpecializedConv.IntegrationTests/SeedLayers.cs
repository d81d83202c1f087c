namespace SpecializedConv.IntegrationTests;

// The seed's three Keras examples, declared as a user would.

/// <summary>tf.pad by 2, then Conv2D(32, 3x3, strides 2, VALID, no bias).</summary>
[Conv2D(28, 28, 3, 32, 3, Stride = 2, Pad = 2, UseBias = false)]
public partial class SeedStem;

/// <summary>Conv2D(64, 3x3, dilation_rate 2, SAME).</summary>
[Conv2D(32, 32, 3, 64, 3, Dilation = 2, Padding = Padding.Same)]
public partial class SeedDilated;

/// <summary>DepthwiseConv2D(3x3, SAME) then Conv2D(64, 1x1), fused.</summary>
[SeparableConv2D(64, 64, 3, 64, 3, Padding = Padding.Same)]
public partial class SeedSeparable;

/// <summary>The separable example's depthwise step alone.</summary>
[DepthwiseConv2D(64, 64, 3, 3, Padding = Padding.Same)]
public partial class SeedDepthwise;

/// <summary>The separable example's pointwise step alone.</summary>
[Conv2D(64, 64, 3, 64, 1)]
public partial class SeedPointwise;
