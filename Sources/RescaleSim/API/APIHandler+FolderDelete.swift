import Foundation
import Hummingbird
import InterlinkCore

extension APIHandler {
    /// `DELETE /api/v3/folders/{id}/`: permanently removes a folder the caller made, with everything under it.
    ///
    /// Answers 204; 404 when the folder is unknown or another user's (so a retry after a lost 204 sees 404); 400 with a
    /// DRF `detail` for a root folder (`myLibrary`, `myJobs`), which cannot be deleted; 400 for a body.
    func deleteFolder(_ id: String, _ request: AuthenticatedCall) async throws -> Response {
        try requireNoBody(request)
        switch await state.deleteFolder(id, key: request.user.apiKey) {
        case nil: throw ErrorResponse.notFound()
        case false?: return APIReply.detail(.badRequest, "a root folder cannot be deleted")
        case true?: return APIReply.empty(.noContent)
        }
    }
}
