//! The model: a weight per (feature, tag), a weight per pair of tags, and
//! the best tag sequence of a segment under them (Viterbi, with the BIO
//! rule that an inside tag continues a name of its own type).
//!
//! The weights are trained offline (`tools/ner/train-rust.sh`) and compiled
//! into the binary as `weights.bin`: a header, the 7×7 transitions, then
//! every feature key with the weights of its six name tags less that of
//! the outside tag, in 16-bit fixed point.

/// O, then B- and I- of person, organisation, place.
pub const TAGS: usize = 7;

/// Scores of features and tag pairs: the compiled model, or the one being
/// trained.
pub trait Scores {
    /// Adds the weights of feature `key` to `acc`.
    fn add(&self, key: u64, acc: &mut [f32; TAGS]);
    /// The weight of tag `to` right after tag `from`.
    fn transition(&self, from: usize, to: usize) -> f32;
    /// A hint that the weights of `keys` are wanted soon.
    fn prefetch(&self, _keys: &[u64]) {}
}

/// Whether `to` may follow `from`: an inside tag only continues a name of
/// its type.
#[inline]
pub fn may_follow(from: usize, to: usize) -> bool {
    if to == 0 || to % 2 == 1 {
        return true;
    }
    from != 0 && from.div_ceil(2) == to / 2
}

/// The score of every tag of every token of a segment whose tokens have the
/// keys `keys[bounds[k]..bounds[k + 1]]`.
/// What a token may be: anything, only outside a name, or anything but
/// the continuation of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allowed {
    /// Any tag.
    Any,
    /// Only the outside tag.
    Outside,
    /// No inside tag: a name may not run on into it.
    NoInside,
    /// Only an inside tag: the name before it runs on.
    Inside,
}

/// A token's allowed tags limit its emissions.
pub fn emissions<S: Scores>(
    scores: &S,
    keys: &[u64],
    bounds: &[u32],
    allowed: &[Allowed],
    em: &mut Vec<[f32; TAGS]>,
) {
    let n = bounds.len() - 1;
    em.clear();
    if n == 0 {
        return;
    }
    scores.prefetch(&keys[bounds[0] as usize..bounds[n] as usize]);
    for k in 0..n {
        let mut e = [0f32; TAGS];
        for &key in &keys[bounds[k] as usize..bounds[k + 1] as usize] {
            scores.add(key, &mut e);
        }
        match allowed.get(k) {
            Some(Allowed::Outside) => e[1..].fill(f32::NEG_INFINITY),
            Some(Allowed::NoInside) => {
                for t in (2..TAGS).step_by(2) {
                    e[t] = f32::NEG_INFINITY;
                }
            }
            Some(Allowed::Inside) => {
                e[0] = f32::NEG_INFINITY;
                for t in (1..TAGS).step_by(2) {
                    e[t] = f32::NEG_INFINITY;
                }
            }
            _ => {}
        }
        em.push(e);
    }
}

/// The score of the tags `tags` of a segment, outside tags before and after.
pub fn path_score<S: Scores>(scores: &S, em: &[[f32; TAGS]], tags: &[u8]) -> f32 {
    let mut prev = 0;
    let mut total = 0.0;
    for (e, &t) in em.iter().zip(tags) {
        total += scores.transition(prev, t as usize) + e[t as usize];
        prev = t as usize;
    }
    total + scores.transition(prev, 0)
}

/// The best tags of a segment whose tokens have the keys `keys[bounds[k]..
/// bounds[k + 1]]`, outside tags before and after it, and their score;
/// `em` is left holding the segment's emissions.
#[inline(never)]
pub fn viterbi<S: Scores>(
    scores: &S,
    keys: &[u64],
    bounds: &[u32],
    allowed: &[Allowed],
    em: &mut Vec<[f32; TAGS]>,
    out: &mut Vec<u8>,
) -> f32 {
    emissions(scores, keys, bounds, allowed, em);
    let n = em.len();
    out.clear();
    if n == 0 {
        return 0.0;
    }
    let emit = |k: usize| em[k];
    const NEG: f32 = f32::NEG_INFINITY;
    let mut small = [[0u8; TAGS]; 16];
    let mut large: Vec<[u8; TAGS]> = Vec::new();
    // Short segments (nearly all) keep their back-pointers on the stack.
    let back: &mut [[u8; TAGS]] = if n <= small.len() {
        &mut small[..n]
    } else {
        large.resize(n, [0; TAGS]);
        &mut large
    };
    let e0 = emit(0);
    let mut score = [NEG; TAGS];
    for t in 0..TAGS {
        if may_follow(0, t) {
            score[t] = scores.transition(0, t) + e0[t];
        }
    }
    back[0] = [0; TAGS];
    for (k, slot) in back.iter_mut().enumerate().skip(1) {
        let e = emit(k);
        let mut next = [NEG; TAGS];
        let mut bp = [0u8; TAGS];
        for c in 0..TAGS {
            let (mut best, mut arg) = (NEG, 0);
            for (p, &s) in score.iter().enumerate() {
                if s > NEG && may_follow(p, c) {
                    let v = s + scores.transition(p, c);
                    if v > best {
                        best = v;
                        arg = p;
                    }
                }
            }
            next[c] = best + e[c];
            bp[c] = arg as u8;
        }
        score = next;
        *slot = bp;
    }
    // The segment is followed by an outside tag.
    let mut best = (NEG, 0);
    for (t, &s) in score.iter().enumerate() {
        let v = s + scores.transition(t, 0);
        if v > best.0 {
            best = (v, t);
        }
    }
    let mut t = best.1;
    out.resize(n, 0);
    for k in (0..n).rev() {
        out[k] = t as u8;
        t = back[k][t] as usize;
    }
    best.0
}

/// A feature and its weights, 16 bytes, so that a lookup touches one cache
/// line and the table stays small (it is larger than the caches closest to
/// the core, and every lookup is a likely miss): the key's high half (its
/// low bits are the slot), and the weights of the six name tags less that
/// of the outside tag, which is all Viterbi needs (a constant added to
/// every tag of a token changes no path's rank).
#[derive(Clone, Copy, Default)]
#[repr(C, align(16))]
struct Slot {
    check: u32,
    row: [i16; TAGS - 1],
}

/// The part of a key a slot keeps; never 0, which marks a free slot.
#[inline]
fn check_of(key: u64) -> u32 {
    ((key >> 32) as u32).max(1)
}

/// The compiled model.
pub struct Model {
    trans: [[f32; TAGS]; TAGS],
    /// Weight per unit of the fixed-point rows.
    unit: f32,
    /// How much more the model's reading of a segment must score than the
    /// rules' to overrule them (chosen in training).
    margin: f32,
    /// Open-addressed: `slots[key & mask]` onwards; key 0 is a free slot.
    slots: Vec<Slot>,
    mask: usize,
}

const MAGIC: &[u8; 8] = b"BYLNER03";

impl Model {
    /// Reads the format `write` gives. `None` when it is not one.
    pub fn read(bytes: &[u8]) -> Option<Model> {
        let mut at = 0usize;
        let mut take = |len: usize| {
            let s = bytes.get(at..at + len)?;
            at += len;
            Some(s)
        };
        if take(8)? != MAGIC {
            return None;
        }
        let f32_at = |s: &[u8]| f32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let scale = f32_at(take(4)?);
        let margin = f32_at(take(4)?);
        let n = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
        let mut trans = [[0f32; TAGS]; TAGS];
        for row in &mut trans {
            for w in row.iter_mut() {
                *w = f32_at(take(4)?);
            }
        }
        // Under two thirds full: short probes, and a table that fits the
        // caches better than a sparser one.
        let size = (n + n / 2).next_power_of_two().max(16);
        let mut slots = vec![Slot::default(); size];
        let mask = size - 1;
        for _ in 0..n {
            let k = u64::from_le_bytes(take(8)?.try_into().ok()?);
            let mut row = [0i16; TAGS - 1];
            for w in &mut row {
                *w = i16::from_le_bytes(take(2)?.try_into().ok()?);
            }
            let mut h = k as usize & mask;
            while slots[h].check != 0 {
                h = (h + 1) & mask;
            }
            slots[h] = Slot {
                check: check_of(k),
                row,
            };
        }
        Some(Model {
            trans,
            unit: 1.0 / scale,
            margin,
            slots,
            mask,
        })
    }

    /// Writes a model: transitions, and every (key, weights) pair with
    /// weights in fixed point (`scale` per unit). Keys must not be 0.
    pub fn write(
        trans: &[[f32; TAGS]; TAGS],
        weights: &[(u64, [f32; TAGS])],
        margin: f32,
    ) -> Vec<u8> {
        let relative =
            |w: &[f32; TAGS]| -> [f32; TAGS - 1] { std::array::from_fn(|t| w[t + 1] - w[0]) };
        let max = weights
            .iter()
            .flat_map(|(_, w)| relative(w))
            .fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { 32767.0 / max } else { 1.0 };
        let mut out = Vec::with_capacity(16 + 196 + weights.len() * 20);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend_from_slice(&margin.to_le_bytes());
        out.extend_from_slice(&(weights.len() as u32).to_le_bytes());
        for row in trans {
            for w in row {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        for (k, w) in weights {
            out.extend_from_slice(&k.to_le_bytes());
            for x in relative(w) {
                out.extend_from_slice(&((x * scale).round() as i16).to_le_bytes());
            }
        }
        out
    }

    /// How much more the model's reading must score than the rules'.
    pub fn margin(&self) -> f32 {
        self.margin
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.check != 0).count()
    }

    /// Asks the memory for the slots of `keys` ahead of their lookups,
    /// which then overlap instead of waiting one after another.
    #[inline]
    pub fn prefetch(&self, keys: &[u64]) {
        #[cfg(target_arch = "x86_64")]
        for &k in keys {
            let p = &self.slots[k as usize & self.mask] as *const Slot as *const i8;
            // SAFETY: a prefetch is a hint; `p` points into `slots`.
            unsafe { std::arch::x86_64::_mm_prefetch(p, std::arch::x86_64::_MM_HINT_T0) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = keys;
    }

    /// No features at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Scores for Model {
    #[inline]
    fn add(&self, key: u64, acc: &mut [f32; TAGS]) {
        let check = check_of(key);
        let mut h = key as usize & self.mask;
        loop {
            let slot = &self.slots[h];
            if slot.check == check {
                for (a, &w) in acc[1..].iter_mut().zip(&slot.row) {
                    *a += w as f32 * self.unit;
                }
                return;
            }
            if slot.check == 0 {
                return;
            }
            h = (h + 1) & self.mask;
        }
    }

    #[inline]
    fn transition(&self, from: usize, to: usize) -> f32 {
        self.trans[from][to]
    }

    #[inline]
    fn prefetch(&self, keys: &[u64]) {
        Model::prefetch(self, keys)
    }
}
