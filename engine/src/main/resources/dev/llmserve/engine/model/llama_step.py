class LlamaStep(Module):
  # One forward step of a Llama-family model over a paged KV cache, the same computation as
  # LlamaModel.forward (dev.llmserve.engine.model), as TorchScript serialized code: TorchScriptModule
  # compiles it from Java, TorchScriptForward calls forward once per step.
  #
  # weights: [embedding [V, d], lm_head [d, V] (final norm folded in),
  #           rope_a, rope_b, rope_c, eps [1, 1], 1/d [d, 1], arange(KV) [1, KV, 1],
  #           then per layer qkv [d, (H + 2KV)·D], out [H·D, d], gate_up [d, 2I], down [I, d] (+ qkv bias)]
  #   rope_matmul: rope_a [P, D, D] with x·rope_a[p] = x·cos_p + rotate_half(x)·sin_p
  #   otherwise:   rope_a = cos [P, D], rope_b = sin [P, D], rope_c = rotate_half as a [D, D] matrix
  # k_cache, v_cache: per layer [slots, KV, D], written in place; k_rows, v_rows: the same as [slots·KV, D]
  # index (int64): tokens [T] | positions [T] | write slots [T]
  #   | read slots [B·C] (head-first reads) or block ids [B·NB] (block reads)
  #   | padded rows [B·Q] | unpadded rows [T] (if padded) | query positions [B·Q] | logit rows (if fewer than T)
  # sizes: T, B, Q (longest query), C (longest context), logit rows, padded, masked, NB, block size, block reads
  # Attention reads the cache one of two ways (TorchScriptForward picks per step):
  #   head-first: gather rows slot·KV + h of [slots·KV, D] into [B·KV, C, D], then bmm, softmax, bmm;
  #     fewest ops, best for small steps
  #   block reads: gather whole blocks ([blocks, block·KV·D] rows, far cheaper per byte) into [B, NB·block, KV, D]
  #     and run scaled_dot_product_attention on strided views of them; best once B·C is large
  # exact: the op-by-op formulas bit for bit (x/sqrt(mean(x²)+eps), x·sigmoid(x), elementwise RoPE);
  #   otherwise cheaper equivalents that round differently (matmul mean, silu, RoPE as one bmm)
  __parameters__ = []
  __buffers__ = []
  training : bool
  n_layers : int
  n_heads : int
  n_kv_heads : int
  head_dim : int
  hidden : int
  intermediate : int
  eps : float
  has_bias : bool
  rope_matmul : bool
  exact : bool
  def forward(self, weights: List[Tensor], k_cache: List[Tensor], v_cache: List[Tensor],
              k_rows: List[Tensor], v_rows: List[Tensor], index: Tensor, sizes: List[int]) -> Tensor:
    T = sizes[0]
    B = sizes[1]
    Q = sizes[2]
    C = sizes[3]
    n_logits = sizes[4]
    padded = sizes[5] == 1
    masked = sizes[6] == 1
    NB = sizes[7]
    BS = sizes[8]
    blocked = sizes[9] == 1
    H = self.n_heads
    KV = self.n_kv_heads
    D = self.head_dim
    G = H // KV
    I = self.intermediate
    tokens = index.narrow(0, 0, T)
    positions = index.narrow(0, T, T)
    write = index.narrow(0, 2 * T, T)
    at = 3 * T
    read = index
    blocks = index
    if blocked:
      blocks = index.narrow(0, at, B * NB).view(B, NB)
      at = at + B * NB
      # whole blocks are read: keys past a sequence's context are masked like future ones
      masked = masked or NB * BS != C
      C = NB * BS
    else:
      # row slot·KV + h of the [slots·KV, D] cache view, for each (sequence, kv head, key position)
      read = torch.add(weights[7], index.narrow(0, at, B * C).view(B, 1, C), alpha=KV).view(B * KV, C)
      at = at + B * C
    pad_rows = index
    unpad_rows = index
    if padded:
      pad_rows = index.narrow(0, at, B * Q)
      unpad_rows = index.narrow(0, at + B * Q, T)
      at = at + B * Q + T
    future = index
    mask = index
    if masked:
      # key j is hidden from a query at position p < j (padding queries sit at position 0)
      query_pos = index.narrow(0, at, B * Q).view(B, 1, Q, 1, 1)
      future = torch.arange(C, device=index.device).view(1, 1, 1, 1, C) > query_pos
      if blocked:
        mask = torch.zeros([B, 1, Q, G, C], dtype=6, device=index.device).masked_fill_(future, -1.0e30)
        mask = mask.view(B, 1, Q * G, C)
    at = at + B * Q
    rope = weights[2].index_select(0, positions)
    sin = rope
    if not self.rope_matmul:
      rope = rope.view(T, 1, D)
      sin = weights[3].index_select(0, positions).view(T, 1, D)
    x = torch.embedding(weights[0], tokens)
    per_layer = 4
    if self.has_bias:
      per_layer = 5
    for l in range(self.n_layers):
      w = 8 + per_layer * l
      # attention
      h = self.rms_norm(x, weights)
      if self.has_bias:
        qkv = torch.addmm(weights[w + 4], h, weights[w])
      else:
        qkv = torch.mm(h, weights[w])
      qkv = qkv.view(T, H + 2 * KV, D)
      qk = qkv.narrow(1, 0, H + KV)
      if self.rope_matmul:
        qk = torch.bmm(qk, rope)
      else:
        qk = qk * rope + torch.matmul(qk, weights[4]) * sin
      k_cache[l].index_copy_(0, write, qk.narrow(1, H, KV))
      v_cache[l].index_copy_(0, write, qkv.narrow(1, H + KV, KV))
      q = qk.narrow(1, 0, H)
      if padded:
        q = q.index_select(0, pad_rows)
      if blocked:
        keys = torch.embedding(k_rows[l].view(-1, BS * KV * D), blocks).view(B, C, KV, D).transpose(1, 2)
        values = torch.embedding(v_rows[l].view(-1, BS * KV * D), blocks).view(B, C, KV, D).transpose(1, 2)
        if Q == 1:
          q = q.view(B, KV, G, D)
        else:
          q = q.reshape(B, Q, KV, G, D).transpose(1, 2).reshape(B, KV, Q * G, D)
        if masked:
          out = torch.scaled_dot_product_attention(q, keys, values, mask, 0.0, False, scale=1.0)
        else:
          out = torch.scaled_dot_product_attention(q, keys, values, None, 0.0, False, scale=1.0)
      else:
        keys = torch.embedding(k_rows[l], read)
        values = torch.embedding(v_rows[l], read)
        if Q == 1:
          q = q.reshape(B * KV, G, D)
        else:
          q = q.reshape(B, Q, KV, G, D).transpose(1, 2).reshape(B * KV, Q * G, D)
        scores = torch.bmm(q, keys.transpose(1, 2))
        if masked:
          scores.view(B, KV, Q, G, C).masked_fill_(future, -1.0e30)
        out = torch.bmm(torch.softmax(scores, -1), values)
      if Q == 1:
        out = out.view(B, H * D)
      else:
        out = out.view(B, KV, Q, G, D).transpose(1, 2).reshape(B * Q, H * D)
      if padded:
        out = out.index_select(0, unpad_rows)
      x = torch.addmm(x, out, weights[w + 1])
      # SwiGLU MLP
      gate_up = torch.mm(self.rms_norm(x, weights), weights[w + 2])
      gate = gate_up.narrow(1, 0, I)
      if self.exact:
        act = gate * torch.sigmoid(gate) * gate_up.narrow(1, I, I)
      else:
        act = torch.silu_(gate).mul_(gate_up.narrow(1, I, I))
      x = torch.addmm(x, act, weights[w + 3])
    if n_logits < T:
      x = x.index_select(0, index.narrow(0, at, n_logits))
    return torch.mm(self.rms_norm(x, weights), weights[1])
  def rms_norm(self, x: Tensor, weights: List[Tensor]) -> Tensor:
    # without its gain, which LlamaWeights folds into the next projection
    if self.exact:
      return torch.div(x, torch.sqrt(torch.add(torch.mean(x * x, [-1], True), self.eps)))
    # mean(x²) as a matmul with a 1/d column: on CPU a mean reduction costs about three matmuls this small
    return x * torch.addmm(weights[5], x * x, weights[6]).rsqrt_()
