"""Trains Restain's nucleus net and writes a nucleus model folder (model.onnx + manifest.json).

Dev only (reads ../shared/data, which never enters the repository). Needs Debian's
python3-torch, python3-numpy, python3-scipy and python3-pil (CPU is enough: ~10 min per net on 2
cores). The shipped model is three nets exported as one graph; README.md beside this file has the
commands:

    npx tsx gpu-worker/dev/train-nuclei/auto-scales.ts ../shared/data/bcdata-sample/*.png \
        ../shared/data/ki67-outlines/*.jpg > /tmp/auto-scales.json
    /usr/bin/python3 gpu-worker/dev/train-nuclei/train.py --scales /tmp/auto-scales.json \
        --out /tmp/m1 [--seed 1] [--hold-out bcdata-sample/0.png,...]
    /usr/bin/python3 gpu-worker/dev/train-nuclei/train.py --from-weights /tmp/m1/weights.npz,... \
        --out gpu-worker/models/restain-nuclei

Training images are resized by the factor `restain analyze --resolution auto` would use (to the
40x reference scale) and then by 1/DOWNSAMPLE, the net's own scale, with scale jitter around it.
Targets: a Gaussian heat at every nucleus centre (points, or outline centroids), the class at
the centres, and the nucleus mask where outlines exist. The net is a 4-level U-Net (~840k weights).
"""
import argparse, json, os, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from PIL import Image, ImageDraw
from scipy import ndimage as ndi

DOWNSAMPLE = 2
SCALE_JITTER = (0.75, 0.87, 1.0, 1.15, 1.3)
HEAT_SIGMA = 2.0      # px at the net's scale
CLASS_RADIUS = 3.0    # px around a centre that carry its class


def resized(path, f):
    im = Image.open(path).convert('RGB')
    w, h = im.size
    return np.array(im.resize((max(1, round(w * f)), max(1, round(h * f))), Image.BILINEAR)), f


def load_points(path, f):
    rgb, f = resized(path, f)
    pts = json.load(open(path.rsplit('.', 1)[0] + '.points.json'))
    return dict(rgb=rgb, centres=[(p['x'] * f, p['y'] * f, p['label']) for p in pts], mask=None)


def load_outlines(path, f):
    rgb, f = resized(path, f)
    cells = json.load(open(path.rsplit('.', 1)[0] + '.cells.json'))
    h, w = rgb.shape[:2]
    lab = Image.new('I', (w, h), 0)
    draw = ImageDraw.Draw(lab)
    for k, c in enumerate(cells):
        draw.polygon([(x * f, y * f) for x, y in c['polygon']], fill=k + 1)
    lab = np.array(lab)
    cm = ndi.center_of_mass(np.ones_like(lab), lab, range(1, len(cells) + 1))
    centres = []
    for (cy, cx), c in zip(cm, cells):
        if np.isnan(cx):  # outline smaller than a pixel at this scale
            a = np.array(c['polygon'], float) * f
            cx, cy = a[:, 0].mean(), a[:, 1].mean()
        centres.append((cx, cy, c['label']))
    return dict(rgb=rgb, centres=centres, mask=lab > 0)


def load_paired(path, f):
    """A DeepLIIF paired panel (3072 x 512: IHC first, segmentation truth last), at 40x."""
    im = Image.open(path).convert('RGB')
    w, h = im.size
    size = (round(h * f), round(h * f))
    rgb = np.array(im.crop((0, 0, h, h)).resize(size, Image.BILINEAR))
    seg = np.array(im.crop((w - h, 0, w, h)).resize(size, Image.NEAREST)).astype(int)
    red, blue = (seg[..., 0] > 128) & (seg[..., 2] < 128), (seg[..., 2] > 128) & (seg[..., 0] < 128)
    centres = []
    for m, label in ((red, 'positive'), (blue, 'negative')):
        lab, n = ndi.label(m)
        for cy, cx in ndi.center_of_mass(m, lab, range(1, n + 1)):
            centres.append((cx, cy, label))
    return dict(rgb=rgb, centres=centres, mask=seg.max(2) > 128)


def target_planes(d):
    """Image (3 planes, [-1, 1]) + heat, class, class weight, mask, mask weight."""
    h, w = d['rgb'].shape[:2]
    seeds = np.zeros((h, w), bool)
    labels = {}
    for x, y, l in d['centres']:
        xi, yi = int(round(x)), int(round(y))
        if 0 <= yi < h and 0 <= xi < w:
            seeds[yi, xi] = True
            labels[(yi, xi)] = l
    dist, (iy, ix) = ndi.distance_transform_edt(~seeds, return_indices=True)
    heat = np.exp(-dist ** 2 / (2 * HEAT_SIGMA ** 2))
    cls = np.zeros((h, w)); cw = np.zeros((h, w))
    ys, xs = np.nonzero(dist <= CLASS_RADIUS)
    for y, x in zip(ys, xs):
        l = labels[(iy[y, x], ix[y, x])]
        if l in ('positive', 'negative'):
            cls[y, x] = l == 'positive'; cw[y, x] = 1
    has_mask = d['mask'] is not None
    mask = d['mask'].astype(float) if has_mask else np.zeros((h, w))
    mw = np.full((h, w), 1.0 if has_mask else 0.0)
    img = d['rgb'].astype(np.float32).transpose(2, 0, 1) / 127.5 - 1
    return np.concatenate([img, np.stack([heat, cls, cw, mask, mw])]).astype(np.float32)


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True),
                         nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


class UNet(nn.Module):
    """Input [N, 3, H, W] (H, W multiples of 2^levels) -> logits [N, 3, H, W]: heat, positive, mask.
    levels 3: 16-32-64 channels (c = 16), bottleneck 64; levels 4 adds a 128-channel level (more context)."""
    def __init__(self, c=16, levels=3):
        super().__init__()
        widths = [c * 2 ** k for k in range(levels)]
        self.enc = nn.ModuleList(block(i, o) for i, o in zip([3] + widths[:-1], widths))
        self.b = block(widths[-1], widths[-1])
        self.dec = nn.ModuleList(block(2 * w, max(c, w // 2)) for w in reversed(widths))
        self.out = nn.Conv2d(c, 3, 1)

    def forward(self, x):
        skips = []
        for k, e in enumerate(self.enc):
            x = e(x if k == 0 else F.max_pool2d(x, 2))
            skips.append(x)
        x = self.b(F.max_pool2d(x, 2))
        for d, s in zip(self.dec, reversed(skips)):
            x = d(torch.cat([F.interpolate(x, scale_factor=2, mode='nearest'), s], 1))
        return self.out(x)


OLD_NAMES = {'e1': 'enc.0', 'e2': 'enc.1', 'e3': 'enc.2', 'd3': 'dec.0', 'd2': 'dec.1', 'd1': 'dec.2'}


def save_weights(net, recipe, path):
    """weights.npz: the net's state and, under 'recipe', how it was trained (JSON)."""
    np.savez(path, recipe=np.array(json.dumps(recipe)), **{k: v.numpy() for k, v in net.state_dict().items()})


def load_weights(path, channels=16):
    """(net, recipe) from a weights.npz. Files written before the U-Net took --levels name its levels e1-e3,
    d3-d1 and carry no recipe (then None); the depth is read from the weights either way."""
    def renamed(k):
        head, _, rest = k.partition('.')
        return OLD_NAMES.get(head, head) + '.' + rest
    z = np.load(path)
    recipe = json.loads(str(z['recipe'])) if 'recipe' in z.files else None
    state = {renamed(k): torch.from_numpy(z[k].astype(np.float32) if z[k].dtype == np.float16 else z[k])
             for k in z.files if k != 'recipe'}
    levels = len({k.split('.')[1] for k in state if k.startswith('enc.')})
    net = UNet(recipe['channels'] if recipe else channels, levels)
    net.load_state_dict(state)
    return net.eval(), recipe


class Mean(nn.Module):
    """Several nets as one graph: the mean of their logits."""
    def __init__(self, nets):
        super().__init__()
        self.nets = nn.ModuleList(nets)

    def forward(self, x):
        return torch.stack([n(x) for n in self.nets]).mean(0)


def crop_batch(groups, n, size, rng, strong=False):
    """Random crops: an image uniformly, then one of its scaled versions, flips, rotations, stain jitter
    (strong: also stain hue mixing, wider strength, blur and noise, for other labs' scanners)."""
    out = []
    for _ in range(n):
        versions = groups[rng.integers(len(groups))]
        a = versions[rng.integers(len(versions))]
        _, h, w = a.shape
        if h < size or w < size:
            a = np.pad(a, ((0, 0), (0, max(0, size - h)), (0, max(0, size - w))), mode='reflect')
            _, h, w = a.shape
        y, x = rng.integers(0, h - size + 1), rng.integers(0, w - size + 1)
        p = np.rot90(a[:, y:y + size, x:x + size], rng.integers(4), (1, 2))
        if rng.random() < 0.5:
            p = p[:, :, ::-1]
        p = p.copy()
        # Stain and exposure jitter in optical density: each channel's OD scaled, then a brightness gain.
        od = -np.log(np.clip((p[:3] + 1) / 2, 1 / 255, 1))
        if strong:
            od = np.clip(np.einsum('ij,jhw->ihw', np.eye(3) + rng.normal(0, 0.08, (3, 3)), od), 0, None)
            od *= rng.uniform(0.7, 1.3, (3, 1, 1))
            rgb = np.exp(-od) * rng.uniform(0.88, 1.08)
            if rng.random() < 0.3:
                rgb = ndi.gaussian_filter(rgb, (0, *(2 * [rng.uniform(0.3, 1.0)])))
            if rng.random() < 0.3:
                rgb = rgb + rng.normal(0, 0.02, rgb.shape)
        else:
            od *= rng.uniform(0.85, 1.15, (3, 1, 1))
            rgb = np.exp(-od) * rng.uniform(0.93, 1.05)
        p[:3] = np.clip(rgb, 0, 1) * 2 - 1
        out.append(p)
    return torch.from_numpy(np.stack(out))


def train(groups, iters, seed, channels=16, size=128, batch=12, device='cpu', strong=False, levels=3):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = UNet(channels, levels).to(device)
    opt = torch.optim.Adam(net.parameters(), 2e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=iters)
    start = time.time()
    for it in range(iters):
        b = crop_batch(groups, batch, size, rng, strong).to(device)
        x, heat, cls, cw, mask, mw = b[:, :3], b[:, 3], b[:, 4], b[:, 5], b[:, 6], b[:, 7]
        o = net(x)
        loss_heat = ((torch.sigmoid(o[:, 0]) - heat) ** 2 * (1 + 9 * heat)).mean()
        loss_cls = (F.binary_cross_entropy_with_logits(o[:, 1], cls, reduction='none') * cw).sum() / (cw.sum() + 1)
        loss_mask = (F.binary_cross_entropy_with_logits(o[:, 2], mask, reduction='none') * mw).sum() / (mw.sum() + 1)
        loss = 10 * loss_heat + loss_cls + loss_mask
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        if it % 100 == 0 or it == iters - 1:
            print(f'{it}/{iters} heat {loss_heat.item():.4f} class {loss_cls.item():.4f} mask {loss_mask.item():.4f} {time.time() - start:.0f}s', flush=True)
    return net.cpu().eval()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default=os.path.join(os.path.dirname(__file__), '../../../../shared/data'))
    ap.add_argument('--scales', help='JSON {image path: auto factor} from auto-scales.ts (needed to train)')
    ap.add_argument('--out', required=True)
    ap.add_argument('--hold-out', default='', help='comma-separated image names to leave out, e.g. bcdata-sample/0.png')
    ap.add_argument('--iters', type=int, default=1500)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--channels', type=int, default=16, help='first-level width of the U-Net')
    ap.add_argument('--levels', type=int, default=4, help='U-Net depth (each level doubles the context; 3 was shipped before)')
    ap.add_argument('--batch', type=int, default=12)
    ap.add_argument('--crop', type=int, default=128, help='training crop size at the net scale (px)')
    ap.add_argument('--augment', choices=('basic', 'strong'), default='basic', help='strong: stain hue mixing, blur, noise')
    ap.add_argument('--paired', action='store_true', help='also train on the DeepLIIF paired panels (Lung1, Bladder1)')
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    ap.add_argument('--threads', type=int, default=os.cpu_count() or 1)
    ap.add_argument('--from-weights', help='export these weights.npz files (comma-separated, written by earlier runs) instead '
                    'of training; several become one graph that averages their logits (an ensemble)')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    if args.from_weights:
        loaded = [load_weights(w, args.channels) for w in args.from_weights.split(',')]
        nets = [net for net, _ in loaded]
        members = [recipe or {'file': w} for (_, recipe), w in zip(loaded, args.from_weights.split(','))]
        used = sorted({i for m in members for i in m.get('images', [])})
        paired = any(m.get('paired') for m in members)
    else:
        if not args.scales:
            ap.error('--scales is needed to train')
        factors = {os.path.relpath(os.path.realpath(k), os.path.realpath(args.data)): v for k, v in json.load(open(args.scales)).items()}
        held = {h for h in args.hold_out.split(',') if h}
        if args.paired:
            factors.update({f'deepliif-sample/paired/{n}.png': 1.0 for n in ('Lung1', 'Bladder1')})
        used = [name for name in sorted(factors) if name not in held]
        print('training on', len(used), 'images:', ', '.join(used), flush=True)
        groups = []
        for name in used:
            path = os.path.join(args.data, name)
            loader = (load_paired if '/paired/' in name else load_points if os.path.exists(path.rsplit('.', 1)[0] + '.points.json')
                      else load_outlines)
            groups.append([target_planes(loader(path, factors[name] / DOWNSAMPLE * j)) for j in SCALE_JITTER])
        net = train(groups, args.iters, args.seed, args.channels, size=args.crop, batch=args.batch, device=args.device,
                    strong=args.augment == 'strong', levels=args.levels)
        recipe = {'iterations': args.iters, 'seed': args.seed, 'channels': args.channels, 'levels': args.levels,
                  'crop': args.crop, 'batch': args.batch, 'augment': args.augment, 'device': args.device,
                  'paired': args.paired, 'images': used}
        save_weights(net, recipe, os.path.join(args.out, 'weights.npz'))
        nets, members, paired = [net], [recipe], args.paired
    model = nets[0] if len(nets) == 1 else Mean(nets).eval()
    levels = max(len(n.enc) for n in nets)
    torch.onnx.export(model, torch.zeros(1, 3, 64, 64), os.path.join(args.out, 'model.onnx'), input_names=['image'],
                      output_names=['maps'], dynamic_axes={'image': {2: 'height', 3: 'width'}, 'maps': {2: 'height', 3: 'width'}},
                      opset_version=13)
    manifest = {
        'name': 'restain-nuclei', 'version': '1.0.0', 'file': 'model.onnx',
        'downsample': DOWNSAMPLE, 'inputMultiple': 2 ** levels,
        'normalisation': {'scale': 1 / 127.5, 'offset': -1},
        'thresholds': {'centre': 0.3, 'mask': 0.5, 'positive': 0.5, 'positiveMinDabOd': 0.15, 'positiveDabOd': 0.3},
        'minCentreDistanceMicrons': 1.5, 'minRadiusMicrons': 1.5, 'minMaskFraction': 0.9,
        'centredRadiusFactor': 1.0, 'maskStainFraction': 1.5,
        'training': {
            'script': 'gpu-worker/dev/train-nuclei/train.py', 'members': members, 'images': used,
            'terms': 'trained on research / non-commercial datasets (BCData sample, Ki67 outline sample'
                     + (', DeepLIIF paired sample' if paired else '') + '); the weights inherit their terms',
        },
    }
    with open(os.path.join(args.out, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=2)
        f.write('\n')
    print('wrote', args.out)


if __name__ == '__main__':
    main()
