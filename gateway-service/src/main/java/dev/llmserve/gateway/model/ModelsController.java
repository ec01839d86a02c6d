package dev.llmserve.gateway.model;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** GET /v1/models and /v1/models/{id}. */
@RestController
class ModelsController {

    private final ServedModel model;

    ModelsController(ServedModel model) {
        this.model = model;
    }

    @GetMapping("/v1/models")
    ModelList list() {
        return ModelList.of(List.of(ModelCard.of(model)));
    }

    @GetMapping("/v1/models/{id}")
    ModelCard get(@PathVariable String id) {
        model.require(id);
        return ModelCard.of(model);
    }
}
