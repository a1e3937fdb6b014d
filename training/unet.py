"""A small 3D U-Net built the way nnU-Net builds its PlainConvUNet.

Each stage is two conv blocks (3x3x3 conv -> instance norm -> leaky ReLU, nnU-Net's defaults:
`dynamic_network_architectures.architectures.unet.PlainConvUNet` with `InstanceNorm3d(affine=True)`
and `LeakyReLU(negative_slope=0.01)`); every stage after the first starts with a stride-2 conv
instead of pooling; the decoder upsamples with transposed convs and concatenates the skip.
The head has one output per region (WT, TC, ET): region training uses sigmoid outputs, not softmax
(nnunetv2/training/nnUNetTrainer/nnUNetTrainer.py, `_build_loss` with `has_regions`).
Deep supervision is left out to keep the exported graph to a single output.
"""
import torch
from torch import nn

REGIONS = ("WT", "TC", "ET")


class ConvBlock(nn.Sequential):
    def __init__(self, cin: int, cout: int, stride: int = 1):
        super().__init__(
            nn.Conv3d(cin, cout, 3, stride=stride, padding=1),
            nn.InstanceNorm3d(cout, eps=1e-5, affine=True),
            nn.LeakyReLU(0.01, inplace=True),
        )


class Stage(nn.Sequential):
    def __init__(self, cin: int, cout: int, stride: int):
        super().__init__(ConvBlock(cin, cout, stride), ConvBlock(cout, cout))


class UNet3D(nn.Module):
    def __init__(self, in_channels: int = 4, features=(8, 16, 32, 64), out_channels: int = len(REGIONS)):
        super().__init__()
        self.features = tuple(features)
        enc = []
        cin = in_channels
        for i, f in enumerate(features):
            enc.append(Stage(cin, f, 1 if i == 0 else 2))
            cin = f
        self.encoder = nn.ModuleList(enc)
        self.up = nn.ModuleList()
        self.decoder = nn.ModuleList()
        for f_low, f_skip in zip(features[::-1][:-1], features[::-1][1:]):
            self.up.append(nn.ConvTranspose3d(f_low, f_skip, 2, stride=2))
            self.decoder.append(Stage(2 * f_skip, f_skip, 1))
        self.head = nn.Conv3d(features[0], out_channels, 1)

    @property
    def divisor(self) -> int:
        """Spatial sizes must be a multiple of this (one halving per stage after the first)."""
        return 2 ** (len(self.features) - 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips = []
        for stage in self.encoder:
            x = stage(x)
            skips.append(x)
        x = skips.pop()
        for up, dec in zip(self.up, self.decoder):
            x = dec(torch.cat([up(x), skips.pop()], dim=1))
        return self.head(x)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


class TransposedAsConv(nn.Module):
    """Exactly a ConvTranspose3d with kernel 2 and stride 2, written as a 1x1x1 conv that computes
    all eight sub-voxel outputs as channels, then moved into place by reshape and transpose.
    onnxruntime-web's WebGPU provider (1.30) runs only 1D and 2D ConvTranspose ("Only Conv2d or
    Conv1d are supported"), so the exported graph uses this form; the trained weights are reused."""

    def __init__(self, up: nn.ConvTranspose3d):
        super().__init__()
        assert tuple(up.kernel_size) == (2, 2, 2) and tuple(up.stride) == (2, 2, 2)
        cin, cout = up.in_channels, up.out_channels
        self.cout = cout
        self.conv = nn.Conv3d(cin, cout * 8, 1)
        with torch.no_grad():
            # ConvTranspose weight (cin, cout, a, b, c) -> conv weight (cout*8 as (cout, a, b, c), cin, 1, 1, 1)
            self.conv.weight.copy_(up.weight.permute(1, 2, 3, 4, 0).reshape(cout * 8, cin, 1, 1, 1))
            self.conv.bias.copy_(up.bias.repeat_interleave(8))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, _, d, h, w = x.shape
        y = self.conv(x).reshape(n, self.cout, 2, 2, 2, d, h, w)
        return y.permute(0, 1, 5, 2, 6, 3, 7, 4).reshape(n, self.cout, 2 * d, 2 * h, 2 * w)


def for_export(model: UNet3D) -> UNet3D:
    """The same network with every transposed conv replaced by TransposedAsConv (see there)."""
    model.up = nn.ModuleList([TransposedAsConv(u) for u in model.up])
    return model
