package dev.switchboard.runtime;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.util.List;

/**
 * The knowledge API: a tenant's collections, their documents, search. The tenant is the
 * {@value KnowledgeRequests#TENANT_HEADER} header ({@code default} when absent). JSON bodies are read
 * as text and parsed by {@link KnowledgeRequests} for precise errors (after the collection is found,
 * so that an unknown collection is reported first); the behaviour is in {@link KnowledgeService}.
 */
@Path("/v1/collections")
@Produces(MediaType.APPLICATION_JSON)
public class CollectionResource {

    static final String TENANT = KnowledgeRequests.TENANT_HEADER;

    @Inject
    KnowledgeService knowledge;

    /** {@code {"name", "description"?}} → 201 and the collection. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@HeaderParam(TENANT) String tenant, String body) {
        return Response.status(201).entity(knowledge.create(KnowledgeRequests.tenant(tenant), body)).build();
    }

    @GET
    public KnowledgeViews.CollectionList list(@HeaderParam(TENANT) String tenant) {
        return new KnowledgeViews.CollectionList(knowledge.list(KnowledgeRequests.tenant(tenant)));
    }

    @GET
    @Path("/{name}")
    public KnowledgeViews.Collection get(@HeaderParam(TENANT) String tenant, @PathParam("name") String name) {
        return knowledge.get(KnowledgeRequests.tenant(tenant), name);
    }

    @DELETE
    @Path("/{name}")
    public KnowledgeViews.Deleted delete(@HeaderParam(TENANT) String tenant, @PathParam("name") String name) {
        return knowledge.delete(KnowledgeRequests.tenant(tenant), name);
    }

    /** One document object or {@code {"documents": [...]}} → 201 with each id and its chunk count. */
    @POST
    @Path("/{name}/documents")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response upsert(@HeaderParam(TENANT) String tenant, @PathParam("name") String name, String body) {
        return Response.status(201).entity(knowledge.upsert(KnowledgeRequests.tenant(tenant), name, body)).build();
    }

    /** Files as multipart parts (any part name; {@code file} by convention), optional form field {@code id}. */
    @POST
    @Path("/{name}/documents")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@HeaderParam(TENANT) String tenant, @PathParam("name") String name,
                           @RestForm(FileUpload.ALL) List<FileUpload> files, @RestForm("id") String id) {
        String t = KnowledgeRequests.tenant(tenant);
        List<DocumentUploads.Upload> uploads = files == null ? List.of() : files.stream()
                .map(f -> new DocumentUploads.Upload(f.fileName(), f.size(), f.uploadedFile()))
                .toList();
        DocumentUploads.Outcome outcome = knowledge.upload(t, name, uploads, id);
        return Response.status(outcome.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(outcome.body()).build();
    }

    /** Document ids may contain '/' (a file ingested from a subfolder: {@code cards/lost-card}). */
    @GET
    @Path("/{name}/documents/{id: .+}")
    public KnowledgeViews.DocumentView document(@HeaderParam(TENANT) String tenant, @PathParam("name") String name,
                                                @PathParam("id") String id) {
        return knowledge.document(KnowledgeRequests.tenant(tenant), name, id);
    }

    @DELETE
    @Path("/{name}/documents/{id: .+}")
    public KnowledgeViews.Deleted deleteDocument(@HeaderParam(TENANT) String tenant, @PathParam("name") String name,
                                                 @PathParam("id") String id) {
        return knowledge.deleteDocument(KnowledgeRequests.tenant(tenant), name, id);
    }

    /** {@code {"query", "top_k"?, "mode"?, "filters"?, "min_score"?, "rerank"?, "fusion"?}} → hits. */
    @POST
    @Path("/{name}/search")
    @Consumes(MediaType.APPLICATION_JSON)
    public KnowledgeViews.SearchResult search(@HeaderParam(TENANT) String tenant, @PathParam("name") String name,
                                              String body) {
        return knowledge.search(KnowledgeRequests.tenant(tenant), name, body);
    }
}
