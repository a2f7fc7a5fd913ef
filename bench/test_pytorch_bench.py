"""Checks that bench/pytorch_bench.py builds fwprune's networks (run by compare-pytorch.sh).

python3 -m unittest discover -s bench -p 'test_*.py'
"""

import unittest

import torch

import pytorch_bench as pb


class SamePaddingTest(unittest.TestCase):

    def test_stride2_on_even_input_padsOnlyBottomRight(self):
        self.assertEqual((0, 1), pb.same_padding(28, 3, 2))
        self.assertEqual((0, 1), pb.same_padding(14, 3, 2))

    def test_stride1_3x3_padsOneEachSide(self):
        self.assertEqual((1, 1), pb.same_padding(28, 3, 1))

    def test_1x1_stride2_padsNothing(self):
        self.assertEqual((0, 0), pb.same_padding(28, 1, 2))

    def test_conv_stride2_matchesTensorFlowCorners(self):
        # All-ones kernel on an all-ones 28x28 image: TensorFlow's SAME output (0, 0) sees a full
        # 3x3 window (no padding above or left); (13, 13) sees rows and columns 26, 27 and the
        # padding: 4 ones. Symmetric padding would give 4 and 9.
        conv = pb.Conv(1, 1, 3, 2, "same", bias=False)
        with torch.no_grad():
            conv.conv.weight.fill_(1.0)
            y = conv(torch.ones(1, 1, 28, 28))
        self.assertEqual((1, 1, 14, 14), tuple(y.shape))
        self.assertEqual(9.0, y[0, 0, 0, 0].item())
        self.assertEqual(4.0, y[0, 0, 13, 13].item())


class NetworkTest(unittest.TestCase):

    def test_paperCnn_hasFwprunesParameterCount(self):
        # conv 3*3*1*32+32, conv 3*3*32*64+64, dense 1600*10+10.
        self.assertEqual((34826, 0), pb.parameter_counts(pb.PaperCnn()))

    def test_resnet20_hasTheHandCountedParameters(self):
        # Stem 144 + BN 32; stage 1 3*(2*2304 + 64); stage 2 14528 + 2*18560; stage 3
        # 57728 + 2*73984; dense 650. Moving mean and variance of 784 BatchNorm channels.
        self.assertEqual((272186, 1568), pb.parameter_counts(pb.ResNet(20)))

    def test_resnet20_stagesHalveTheImage(self):
        net = pb.ResNet(20).eval()
        with torch.no_grad():
            x = torch.rand(2, 1, 28, 28)
            h = net.blocks[:3](torch.relu(net.stem_bn(net.stem(x))))
            self.assertEqual((2, 16, 28, 28), tuple(h.shape))
            h = net.blocks[3:6](h)
            self.assertEqual((2, 32, 14, 14), tuple(h.shape))
            h = net.blocks[6:](h)
            self.assertEqual((2, 64, 7, 7), tuple(h.shape))
            self.assertEqual((2, 10), tuple(net(x).shape))

    def test_resnet_depthNot6nPlus2_isRefused(self):
        with self.assertRaisesRegex(ValueError, "6n\\+2"):
            pb.ResNet(21)

    def test_batchNorm_hasKerasDefaults(self):
        bn = pb.ResNet(20).stem_bn
        self.assertEqual((1e-3, 0.01), (bn.eps, bn.momentum))
        self.assertTrue(torch.all(bn.weight == 1) and torch.all(bn.bias == 0))


if __name__ == "__main__":
    unittest.main()
